package ai.loopgpt.dr.recovery.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.recovery.incident.IncidentSteps.StepRequest;
import ai.loopgpt.dr.recovery.incident.IncidentSteps.StepUpdate;
import ai.loopgpt.dr.recovery.restore.RestoreRequest;
import ai.loopgpt.dr.recovery.rollback.RollbackRequest;
import ai.loopgpt.dr.recovery.runbook.Runbook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each kind of runbook step needs in its body, and what a game day may run: no database, no Quarkus. */
class IncidentStepRulesTest {

    private static final Runbook.Step CHECKLIST = new Runbook.Step("assess", "Assess the damage", "Tech Lead", null);
    private static final Runbook.Step UPDATE = new Runbook.Step("post-update", "Post an update", "Communications", "post-update");
    private static final Runbook.Step COMPONENTS = new Runbook.Step("set-components", "Set components", "Communications",
            "set-components");
    private static final Runbook.Step RESTORE = new Runbook.Step("restore-db", "Restore the database", "DBA", "restore");
    private static final Runbook.Step ROLLBACK = new Runbook.Step("rollback", "Roll back", "DevOps", "rollback");

    private static final RestoreRequest LATEST = new RestoreRequest(null, "loopgpt", null, true, null, "scratch", null, null);
    private static final RollbackRequest API = new RollbackRequest("loopgpt", "api", null, null);

    private static StepRequest note(String note) {
        return new StepRequest(note, null, null, null, null);
    }

    private static String refusal(Runbook.Step step, StepRequest request) {
        return IncidentSteps.refusal(step, request, false, List.of());
    }

    @Test
    void aChecklistItemTakesANoteOnlyOrNothing() {
        assertNull(refusal(CHECKLIST, null));
        assertNull(refusal(CHECKLIST, note("Checked the replicas")));
        assertEquals("Step 'assess' is a checklist item: it runs nothing. Send a note only.",
                refusal(CHECKLIST, new StepRequest(null, LATEST, null, null, null)));
        assertTrue(refusal(CHECKLIST, new StepRequest(null, null, null, null, Map.of("api", "operational")))
                .contains("checklist item"));
    }

    @Test
    void anUpdateStepNeedsItsUpdateAndAComponentsStepItsComponents() {
        assertTrue(refusal(UPDATE, note("x")).startsWith("Step 'post-update' posts an update: send {\"update\""));
        assertNull(refusal(UPDATE, new StepRequest(null, null, null, new StepUpdate("identified", "A full disk."), null)));
        assertTrue(refusal(COMPONENTS, null).contains("sets components on the status page"));
        assertTrue(refusal(COMPONENTS, new StepRequest(null, null, null, null, Map.of())).contains("sets components"),
                "an empty map sets nothing");
        assertNull(refusal(COMPONENTS, new StepRequest(null, null, null, null, Map.of("api", "major_outage"))));
    }

    @Test
    void anActionStepNeedsWhatItRuns() {
        assertTrue(refusal(RESTORE, note("go")).contains("runs a restore: send {\"restore\""));
        assertNull(refusal(RESTORE, new StepRequest(null, LATEST, null, null, null)));
        assertTrue(refusal(ROLLBACK, new StepRequest(null, LATEST, null, null, null)).contains("runs a rollback"),
                "a restore body does not run a rollback step");
        assertNull(refusal(ROLLBACK, new StepRequest(null, null, API, null, null)));
    }

    @Test
    void aGameDayRestoresOnlyAsADrillAndRollsBackOnlyItsListedDeployments() {
        RestoreRequest inPlace = new RestoreRequest(null, "loopgpt", null, true, null, "loopgpt", "in-place", "loopgpt");
        assertEquals("A game day restores only as a drill into a scratch destination "
                + "(recovery.destinations.<name>.scratch=true), never in-place.",
                IncidentSteps.refusal(RESTORE, new StepRequest(null, inPlace, null, null, null), true, List.of()));
        assertNull(IncidentSteps.refusal(RESTORE, new StepRequest(null, inPlace, null, null, null), false, List.of()),
                "a real incident may restore in place");
        assertNull(IncidentSteps.refusal(RESTORE, new StepRequest(null, LATEST, null, null, null), true, List.of()),
                "no mode: the game day makes it a drill");

        assertEquals("A game day rolls back only the drill Deployments listed in recovery.game-day-deployments "
                + "(namespace/name), not loopgpt/api.",
                IncidentSteps.refusal(ROLLBACK, new StepRequest(null, null, API, null, null), true, List.of("drills/api")));
        assertNull(IncidentSteps.refusal(ROLLBACK, new StepRequest(null, null, new RollbackRequest("drills", "api", null, null),
                null, null), true, List.of("drills/api")));
    }
}
