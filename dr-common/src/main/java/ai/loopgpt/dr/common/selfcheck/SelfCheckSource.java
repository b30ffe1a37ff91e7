package ai.loopgpt.dr.common.selfcheck;

import java.util.List;

/**
 * A service's outward wires, checked on demand ({@code GET /api/v1/self-check}, {@code drctl doctor})
 * and once after start-up (each failure logged as a warning). Each check bounds its own waits.
 */
public interface SelfCheckSource {

    List<Check> checks();
}
