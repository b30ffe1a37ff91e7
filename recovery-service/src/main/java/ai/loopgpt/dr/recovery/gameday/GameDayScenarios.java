package ai.loopgpt.dr.recovery.gameday;

import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.IncidentEvent;
import ai.loopgpt.dr.recovery.incident.IncidentRunbookService;
import ai.loopgpt.dr.recovery.incident.IncidentSteps;
import ai.loopgpt.dr.recovery.incident.PostmortemService;
import ai.loopgpt.dr.recovery.restore.Restore;
import ai.loopgpt.dr.recovery.restore.RestoreRequest;
import ai.loopgpt.dr.recovery.rollback.DeploymentHistory;
import ai.loopgpt.dr.recovery.rollback.Rollback;
import ai.loopgpt.dr.recovery.rollback.RollbackRequest;
import ai.loopgpt.dr.recovery.rollback.RollbackService;
import ai.loopgpt.dr.recovery.runbook.Runbook;
import ai.loopgpt.dr.recovery.runbook.RunbookLibrary;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The plan's four test scenarios as the suite runs them, each as a drill incident worked through
 * step by step (checklist items ticked as automated, actions run and awaited), then resolved with
 * its measurements. What a scenario changes it undoes: a drill Deployment rolled back is rolled
 * forward again, the drill copy of the components is set back; {@link #undo} does the same for a
 * scenario a stopped replica left.
 */
@ApplicationScoped
public class GameDayScenarios {

    /** Who the timeline says ran the steps. */
    static final String ACTOR = "game-day";

    private final IncidentRunbookService incidents;
    private final IncidentSteps steps;
    private final RunbookLibrary runbooks;
    private final RollbackService rollbacks;
    private final DeploymentHistory history;
    private final DrillComponents drillComponents;
    private final GameDayMessages messages;
    private final RecoverySettings settings;
    private final GameDayRecords records;
    private final PostmortemService postmortems;

    public GameDayScenarios(IncidentRunbookService incidents, IncidentSteps steps, RunbookLibrary runbooks,
            RollbackService rollbacks, DeploymentHistory history, DrillComponents drillComponents, GameDayMessages messages,
            RecoverySettings settings, GameDayRecords records, PostmortemService postmortems) {
        this.postmortems = postmortems;
        this.incidents = incidents;
        this.steps = steps;
        this.runbooks = runbooks;
        this.rollbacks = rollbacks;
        this.history = history;
        this.drillComponents = drillComponents;
        this.messages = messages;
        this.settings = settings;
        this.records = records;
    }

    /** A step that failed: the scenario stops there, saying why. */
    static final class StepFailed extends Exception {
        final String step;

        StepFailed(String step, String reason) {
            super(reason, null, false, false);
            this.step = step;
        }
    }

    /** A scenario that cannot run here, and why (it does not fail the game day). */
    static final class Skipped extends Exception {
        Skipped(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a scenario run carries from step to step. */
    private static final class Run {
        final UUID id;
        final UUID gameDay;
        final GameDayPlan plan;
        UUID incident;
        final List<String> notes = new java.util.ArrayList<>();

        Run(UUID id, UUID gameDay, GameDayPlan plan) {
            this.id = id;
            this.gameDay = gameDay;
            this.plan = plan;
        }
    }

    /**
     * Runs one scenario to its end and records how it ended. Interrupted (the service stopping), it
     * leaves the scenario RUNNING for the reaper of the next start, which settles it from the record.
     */
    void run(UUID gameDay, GameDayScenario row) throws InterruptedException {
        Run run = new Run(row.id, gameDay, GameDayPlan.of(row.scenario));
        records.start(run.id);
        StepFailed failed = null;
        try {
            if (run.plan == GameDayPlan.COMMUNICATION_PLAN) {
                communication(run);
            } else {
                runbook(run);
            }
        } catch (Skipped skipped) {
            records.skip(run.id, skipped.getMessage());
            return;
        } catch (StepFailed f) {
            failed = f;
        } catch (RuntimeException e) {
            failed = new StepFailed(records.scenario(run.id).step, "unexpected error: " + e.getMessage());
        }
        try {
            undo(run.id);
        } catch (StepFailed f) {
            failed = failed != null ? failed : f;
        }
        String reason = failed == null ? null : failed.getMessage();
        if (run.incident != null) {
            close(run, failed == null ? null : failed.step, reason);
        }
        if (failed == null) {
            records.succeed(run.id, run.notes.isEmpty() ? null : String.join("; ", run.notes));
        } else {
            records.fail(run.id, failed.step, reason);
        }
    }

    /** Scenarios 1-3: the runbook of the scenario's incident, step by step. */
    private void runbook(Run run) throws Skipped, StepFailed, InterruptedException {
        Runbook runbook = runbooks.of(run.plan.incident());
        boolean rollsBack = runbook.steps().stream().anyMatch(s -> "rollback".equals(s.action()));
        boolean restores = runbook.steps().stream().anyMatch(s -> "restore".equals(s.action()));
        List<String> deployments = settings.gameDayDeployments().orElse(List.of());
        if (rollsBack && deployments.isEmpty() && run.plan == GameDayPlan.EDGE_FUNCTION_ROLLBACK) {
            throw new Skipped("no drill Deployment to roll back: list one in recovery.game-day-deployments "
                    + "(namespace/name of a drill copy, never production)");
        }
        declare(run, restores);
        if (run.plan == GameDayPlan.COMPLETE_SERVICE_RECOVERY) {
            drillComponents.set(run.id, "assess-scope", "major_outage");
        }
        for (Runbook.Step step : runbook.steps()) {
            records.at(run.id, step.id());
            String note = "Automated by game day " + run.gameDay + ".";
            if (step.action() == null) {
                if (run.plan == GameDayPlan.COMPLETE_SERVICE_RECOVERY && "verify-services".equals(step.id())) {
                    drillComponents.set(run.id, step.id(), null);
                }
                automated(run, step.id(), new IncidentSteps.StepRequest(note, null, null, null, null));
                continue;
            }
            switch (step.action()) {
                case "restore" -> restore(run, step.id(), note);
                case "rollback" -> {
                    if (deployments.isEmpty()) {
                        run.notes.add(step.id() + " skipped: no drill Deployment in recovery.game-day-deployments");
                        records.action(run.id, step.id(), "rollback", null, "SKIPPED", null,
                                "no drill Deployment in recovery.game-day-deployments");
                    } else {
                        rollback(run, step.id(), note, deployments.get(0));
                    }
                }
                case "set-components" -> {
                    Map<String, String> statuses = drillComponents.copy(run.id, step.id());
                    Map<String, String> operational = new LinkedHashMap<>();
                    statuses.keySet().forEach(c -> operational.put(c, "operational"));
                    if (operational.isEmpty()) {
                        throw new StepFailed(step.id(), "status-service has no components to set");
                    }
                    automated(run, step.id(), new IncidentSteps.StepRequest(note, null, null, null, operational));
                    records.action(run.id, step.id(), "components", null, "SUCCEEDED", Duration.ZERO,
                            "set on the drill copy, never the public page: " + operational.keySet());
                }
                case "post-update" -> automated(run, step.id(), new IncidentSteps.StepRequest(note, null, null,
                        new IncidentSteps.StepUpdate("monitoring", "Game day: " + run.plan.title()
                                + " drill. Every step of the runbook ran; this is a test."), null));
                default -> throw new StepFailed(step.id(), "a game day does not run '" + step.action() + "' steps");
            }
        }
    }

    /** Scenario 4: every message of the plan's communication, each confirmed delivered by notification-service. */
    private void communication(Run run) throws StepFailed, InterruptedException {
        RecoverySettings.Communication c = settings.communication();
        if (c.notificationUrl().isEmpty() || c.token().isEmpty()) {
            throw new StepFailed("incident-notification", "notification-service is not configured "
                    + "(recovery.communication.notification-url and token): no message can be delivered");
        }
        declare(run, false);
        Duration cadence = settings.gameDay().updateEvery();
        for (String status : List.of("identified", "monitoring")) {
            records.at(run.id, "status-update");
            Thread.sleep(cadence.toMillis());
            try {
                incidents.update(run.incident, status, "Game day update (" + status + "): the plan's update cadence, "
                        + "compressed to " + cadence.toSeconds() + " s. This is a test.", ACTOR);
            } catch (ProblemException e) {
                throw new StepFailed("status-update", e.detail());
            }
        }
        Thread.sleep(cadence.toMillis());
        records.at(run.id, "resolution-notification");
        incidents.resolve(run.incident, "None: a game day drill.", null, ACTOR);
        records.at(run.id, "delivery");
        messages.awaitDelivered(run.id, run.incident);
    }

    private void declare(Run run, boolean restores) throws StepFailed {
        records.at(run.id, "declare");
        try {
            Incident incident = incidents.declare(new IncidentRunbookService.Declaration("Game day "
                    + LocalDate.now(ZoneOffset.UTC) + ": " + run.plan.title(), run.plan.incident(), Incident.Severity.MINOR,
                    "The plan's quarterly test of the " + run.plan.title().toLowerCase(java.util.Locale.ROOT)
                            + " scenario, run by the suite (game day " + run.gameDay + "). This is a drill.",
                    List.of(), restores ? List.of(settings.gameDay().target()) : List.of(), Map.of(), null, null, true,
                    null), ACTOR);
            run.incident = incident.id;
            records.incident(run.id, incident.id);
        } catch (ProblemException e) {
            throw new StepFailed("declare", e.detail());
        }
    }

    private IncidentEvent automated(Run run, String step, IncidentSteps.StepRequest request) throws StepFailed {
        try {
            return steps.automated(run.incident, step, request, ACTOR);
        } catch (ProblemException e) {
            throw new StepFailed(step, e.detail());
        }
    }

    /** The newest good backup of the game day's target restored as a drill: verified, then dropped. */
    private void restore(Run run, String step, String note) throws StepFailed, InterruptedException {
        String scratch = settings.gameDay().scratchDestination().orElseGet(() -> settings.destinations().entrySet().stream()
                .filter(d -> d.getValue().scratch()).map(Map.Entry::getKey).sorted().findFirst().orElse(null));
        if (scratch == null) {
            throw new StepFailed(step, "no scratch destination to restore into: declare one "
                    + "(recovery.destinations.<name>.scratch=true) or set recovery.game-day.scratch-destination");
        }
        IncidentEvent started = automated(run, step, new IncidentSteps.StepRequest(note,
                new RestoreRequest(null, settings.gameDay().target(), null, true, null, scratch, "drill", null), null, null, null));
        UUID id = UUID.fromString(started.link.substring(started.link.lastIndexOf('/') + 1));
        Restore done = await(step, "the drill restore " + id, () -> Restore.<Restore>findById(id), r -> r.phase.isFinal());
        Duration took = took(done.startedAt, done.finishedAt);
        if (done.phase != JobPhase.SUCCEEDED) {
            records.action(run.id, step, "restore", started.link, done.phase.name(), took, done.failureReason);
            throw new StepFailed(step, "the drill restore into " + scratch + " " + done.phase + ": " + done.failureReason);
        }
        records.action(run.id, step, "restore", started.link, "SUCCEEDED", took, done.tablesVerified
                + " tables verified against the backup's row counts and checksum in " + scratch
                + (done.scratchDroppedAt != null ? "; the copy was dropped" : "; the copy is still to be dropped"));
    }

    /** The drill Deployment rolled back to its previous revision, rollout and health awaited, then rolled forward. */
    private void rollback(Run run, String step, String note, String deployment) throws StepFailed, InterruptedException {
        String namespace = deployment.substring(0, deployment.indexOf('/'));
        String name = deployment.substring(deployment.indexOf('/') + 1);
        long original;
        try {
            original = DeploymentHistory.revisionOf(history.deployment(namespace, name).getMetadata().getAnnotations());
        } catch (ProblemException e) {
            throw new StepFailed(step, e.detail());
        } catch (RuntimeException e) {
            throw new StepFailed(step, "the Kubernetes API did not answer for " + deployment + ": " + e.getMessage());
        }
        Map<String, Object> rolledBack = new LinkedHashMap<>();
        rolledBack.put("namespace", namespace);
        rolledBack.put("deployment", name);
        rolledBack.put("revision", original);
        records.rolledBack(run.id, rolledBack);
        IncidentEvent started = automated(run, step, new IncidentSteps.StepRequest(note, null,
                new RollbackRequest(namespace, name, null, settings.gameDay().healthUrl().orElse(null)), null, null));
        UUID id = UUID.fromString(started.link.substring(started.link.lastIndexOf('/') + 1));
        Rollback done = await(step, "the rollback " + id, () -> Rollback.<Rollback>findById(id), r -> r.phase.isFinal());
        records.action(run.id, step, "rollback", started.link, done.phase.name(),
                took(done.startedAt, done.finishedAt), done.phase == JobPhase.SUCCEEDED
                        ? deployment + " from revision " + done.fromRevision + " to " + done.toRevision
                        + (done.healthStatus != null ? ", health " + done.healthStatus : "") : done.failureReason);
        if (done.phase != JobPhase.SUCCEEDED) {
            throw new StepFailed(step, "the rollback of " + deployment + " FAILED: " + done.failureReason);
        }
        Failpoints.pause("game-day.rolled-back");
        rollForward(run.id, step);
    }

    /** Rolls the drill Deployment a scenario rolled back forward again, to the revision it had. */
    private void rollForward(UUID scenario, String step) throws StepFailed, InterruptedException {
        Map<String, Object> rolledBack = records.scenario(scenario).rolledBack;
        if (rolledBack == null) {
            return;
        }
        String namespace = (String) rolledBack.get("namespace");
        String name = (String) rolledBack.get("deployment");
        long revision = ((Number) rolledBack.get("revision")).longValue();
        Rollback forward;
        try {
            forward = rollbacks.request(namespace, name, revision, settings.gameDay().healthUrl().map(URI::create)
                    .orElse(null), ACTOR);
        } catch (ProblemException e) {
            if (e.detail().contains("already at revision " + revision)) {
                records.rolledBack(scenario, null);
                return;
            }
            throw new StepFailed(step, "rolling " + namespace + "/" + name + " forward to revision " + revision
                    + " was refused: " + e.detail());
        }
        Rollback done = await(step, "the roll-forward " + forward.id, () -> Rollback.<Rollback>findById(forward.id),
                r -> r.phase.isFinal());
        records.action(scenario, step, "roll-forward", "/api/v1/rollbacks/" + forward.id, done.phase.name(),
                took(done.startedAt, done.finishedAt), done.phase == JobPhase.SUCCEEDED
                        ? namespace + "/" + name + " back to revision " + revision : done.failureReason);
        if (done.phase != JobPhase.SUCCEEDED) {
            throw new StepFailed(step, "rolling " + namespace + "/" + name + " forward to revision " + revision
                    + " FAILED: " + done.failureReason);
        }
        records.rolledBack(scenario, null);
    }

    /**
     * Undoes what a scenario left changed: its drill Deployment rolled forward, its drill copy of the
     * components set back. Also for a scenario a stopped replica left.
     */
    void undo(UUID scenario) throws StepFailed, InterruptedException {
        GameDayScenario row = records.scenario(scenario);
        rollForward(scenario, row.step);
        drillComponents.setBackIfChanged(scenario, row.step);
    }

    /**
     * Resolves the scenario's incident (if still open) and records its measurements; a failure becomes
     * an action item of its post-mortem.
     */
    void close(UUID scenario, UUID incident, String title, String failedStep, String reason) {
        Incident i = QuarkusTransaction.requiringNew().call(() -> Incident.<Incident>findById(incident));
        if (i.status != Incident.Status.RESOLVED) {
            i = incidents.resolve(incident, failedStep == null ? "None: a game day drill." : "Game day drill failed at "
                    + failedStep + ": " + reason, failedStep == null ? null : "See the post-mortem's action items.", ACTOR);
        }
        Double rpo = null;
        if (i.rpo != null) {
            rpo = i.rpo.values().stream().filter(m -> m.get("seconds") instanceof Number)
                    .map(m -> ((Number) m.get("seconds")).doubleValue()).max(Double::compare).orElse(null);
        }
        records.measured(scenario, Duration.between(i.startedAt, i.resolvedAt).toMillis() / 1000.0, rpo,
                GameDayMessages.firstMessage(i));
        if (failedStep != null) {
            postmortem(incident, "Game day: " + title + " failed at " + failedStep + ": " + reason);
        }
    }

    private void close(Run run, String failedStep, String reason) {
        close(run.id, run.incident, run.plan.title(), failedStep, reason);
    }

    private void postmortem(UUID incident, String description) {
        postmortems.addAction(incident, description.length() > 2000 ? description.substring(0, 1999) + "…" : description,
                "incident commander", postmortems.today().plusDays(14), ACTOR);
    }

    private static Duration took(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to);
    }

    /** Polls {@code read} until {@code done}, for up to the game day's action timeout. */
    private <T> T await(String step, String what, Supplier<T> read, java.util.function.Predicate<T> done)
            throws StepFailed, InterruptedException {
        long deadline = System.nanoTime() + settings.gameDay().actionTimeout().toNanos();
        while (true) {
            T now = QuarkusTransaction.requiringNew().call(read::get);
            if (now != null && done.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailed(step, what + " did not end within " + settings.gameDay().actionTimeout());
            }
            Thread.sleep(settings.gameDay().pollEvery().toMillis());
        }
    }
}
