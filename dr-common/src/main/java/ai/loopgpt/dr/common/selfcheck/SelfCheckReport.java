package ai.loopgpt.dr.common.selfcheck;

import java.time.Instant;
import java.util.List;

/** A service's self-check: every check, and ok when all passed. {@code checkedAt} lets a caller see clock skew. */
public record SelfCheckReport(String service, Instant checkedAt, boolean ok, List<Check> checks) {
}
