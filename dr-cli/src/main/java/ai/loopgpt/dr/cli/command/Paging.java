package ai.loopgpt.dr.cli.command;

import picocli.CommandLine.Option;

/** --page and --size of list commands. */
public class Paging {
    @Option(names = "--page", defaultValue = "0", description = "Page, from 0 (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--size", defaultValue = "20", description = "Items per page (default: ${DEFAULT-VALUE}, at most 500).")
    int size;
}
