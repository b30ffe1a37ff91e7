package ai.loopgpt.dr.recovery.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares the row counts a backup's manifest promises with those found in the restored copy. */
final class RowCountCheck {

    private RowCountCheck() {
    }

    /**
     * The tables whose count differs, each as {@code table (manifest N, restored M|missing)}, in the
     * manifest's order; empty when every table matches.
     */
    static List<String> differences(Map<String, Long> expected, Map<String, Long> found) {
        List<String> differences = new ArrayList<>();
        expected.forEach((table, rows) -> {
            long actual = found.getOrDefault(table, -1L);
            if (actual != rows) {
                differences.add(table + " (manifest " + rows + ", restored " + (actual < 0 ? "missing" : actual) + ")");
            }
        });
        return differences;
    }
}
