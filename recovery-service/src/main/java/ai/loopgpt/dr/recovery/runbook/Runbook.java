package ai.loopgpt.dr.recovery.runbook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Optional;

/**
 * One scenario's recovery procedure from the plan, as data ({@code runbooks/<scenario>.json},
 * versioned): its steps, each owned by one of the plan's roles; a step with an {@code action} is
 * one the suite runs (a restore, a rollback, components set on the status page, an update posted),
 * the others are checklist items ticked by people.
 */
@RegisterForReflection
public record Runbook(String scenario, int version, String title, String description, String expectedRecovery,
        String expectedDataLoss, List<Step> steps) {

    /** The plan's incident roles, which own the steps. */
    public static final List<String> ROLES = List.of("incidentCommander", "technicalLead", "communicationsLead",
            "supportLead");

    /** The actions a step may run. */
    public static final List<String> ACTIONS = List.of("restore", "rollback", "set-components", "post-update");

    /** A step of the procedure. */
    @RegisterForReflection
    public record Step(String id, String title, String owner, String action) {
    }

    public Optional<Step> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
