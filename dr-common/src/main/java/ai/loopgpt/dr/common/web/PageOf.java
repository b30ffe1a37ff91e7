package ai.loopgpt.dr.common.web;

import java.util.List;

/** One page of a list: the items, where this page is, and how many items there are in all. */
public record PageOf<T>(List<T> items, int page, int size, long total) {
}
