package ai.loopgpt.dr.recovery.gameday;

import ai.loopgpt.dr.recovery.gameday.GameDayScenarios.StepFailed;
import ai.loopgpt.dr.recovery.incident.StatusComponents;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A game day scenario's drill copy of the status page's components: read from status-service once
 * per scenario, kept on the scenario (each component's original and drill status), changed there and
 * never on the public page, and set back when the scenario ends or is settled after a crash.
 */
@ApplicationScoped
class DrillComponents {

    private final StatusComponents components;
    private final GameDayRecords records;

    DrillComponents(StatusComponents components, GameDayRecords records) {
        this.components = components;
        this.records = records;
    }

    /** The drill statuses of the scenario's copy (made from status-service's components the first time). */
    Map<String, String> copy(UUID scenario, String step) throws StepFailed {
        Map<String, Map<String, String>> copy = records.scenario(scenario).components;
        if (copy == null) {
            Map<String, String> now;
            try {
                now = components.statuses();
            } catch (IllegalStateException e) {
                throw new StepFailed(step, e.getMessage());
            }
            copy = new TreeMap<>();
            for (Map.Entry<String, String> c : now.entrySet()) {
                copy.put(c.getKey(), Map.of("original", c.getValue(), "drill", c.getValue()));
            }
            records.components(scenario, copy);
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        copy.forEach((c, s) -> statuses.put(c, s.get("drill")));
        return statuses;
    }

    /** Sets every component of the drill copy to {@code status}, or back to its original when null. */
    void set(UUID scenario, String step, String status) throws StepFailed {
        copy(scenario, step);
        write(scenario, step, status);
    }

    /** Sets the copy back to the original statuses if the scenario left it changed. */
    void setBackIfChanged(UUID scenario, String step) {
        Map<String, Map<String, String>> copy = records.scenario(scenario).components;
        if (copy != null && copy.values().stream().anyMatch(s -> !s.get("original").equals(s.get("drill")))) {
            write(scenario, step, null);
        }
    }

    /** Writes the drill copy with every component at {@code status} (null: its original) and records it. */
    private void write(UUID scenario, String step, String status) {
        Map<String, Map<String, String>> copy = new TreeMap<>(records.scenario(scenario).components);
        copy.replaceAll((c, s) -> Map.of("original", s.get("original"), "drill", status != null ? status : s.get("original")));
        records.components(scenario, copy);
        records.action(scenario, step, "components", null, "SUCCEEDED", Duration.ZERO, (status != null
                ? "drill copy set to " + status : "drill copy set back to the original statuses")
                + " (never the public page): " + copy.keySet());
    }
}
