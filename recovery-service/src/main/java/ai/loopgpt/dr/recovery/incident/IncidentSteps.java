package ai.loopgpt.dr.recovery.incident;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.IncidentEvent;
import ai.loopgpt.dr.recovery.incident.Scenario;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.restore.Restore;
import ai.loopgpt.dr.recovery.restore.RestoreService;
import ai.loopgpt.dr.recovery.rollback.Rollback;
import ai.loopgpt.dr.recovery.rollback.RollbackService;
import ai.loopgpt.dr.recovery.runbook.Runbook;
import ai.loopgpt.dr.recovery.runbook.RunbookLibrary;
import ai.loopgpt.dr.common.security.Callers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The steps of an incident's runbook: a checklist item ticked once, an update posted, the status
 * page's components set, or an action run (a restore, a rollback) as often as needed, each one in
 * the incident's timeline.
 */
@ApplicationScoped
public class IncidentSteps {

    private static final Logger LOG = Logger.getLogger(IncidentSteps.class);

    private final IncidentRunbookService incidents;
    private final RunbookLibrary runbooks;
    private final RestoreService restores;
    private final RollbackService rollbacks;
    private final RecoverySettings settings;
    private final IncidentCommunication communication;

    public IncidentSteps(IncidentRunbookService incidents, RunbookLibrary runbooks, RestoreService restores,
            RollbackService rollbacks, RecoverySettings settings, IncidentCommunication communication) {
        this.incidents = incidents;
        this.runbooks = runbooks;
        this.restores = restores;
        this.rollbacks = rollbacks;
        this.settings = settings;
        this.communication = communication;
    }

    /** What running a step needs: a note, and for an action what to restore or roll back. */
    public record StepRequest(@jakarta.validation.constraints.Size(max = 4000) String note,
            @jakarta.validation.Valid ai.loopgpt.dr.recovery.restore.RestoreRequest restore,
            @jakarta.validation.Valid ai.loopgpt.dr.recovery.rollback.RollbackRequest rollback,
            @jakarta.validation.Valid StepUpdate update,
            @jakarta.validation.constraints.Size(max = 50) Map<@jakarta.validation.constraints.NotBlank String,
                    @jakarta.validation.constraints.Pattern(regexp = COMPONENT_STATUSES,
                            message = "must be operational, degraded_performance, partial_outage, major_outage or "
                                    + "under_maintenance") String> components) {
    }

    /** The component statuses of the status page. */
    static final String COMPONENT_STATUSES = "operational|degraded_performance|partial_outage|major_outage|under_maintenance";

    /** The update a post-update step posts. */
    public record StepUpdate(
            @jakarta.validation.constraints.NotNull @jakarta.validation.constraints.Pattern(
                    regexp = "investigating|identified|monitoring",
                    message = "must be investigating, identified or monitoring") String status,
            @jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(max = 4000) String body) {
    }

    /**
     * Ticks a checklist item (once), or runs an action step (a restore or a rollback, as often as
     * needed: a failed restore is run again) and records what it started.
     */
    public IncidentEvent step(UUID id, String stepId, StepRequest request, SecurityIdentity identity) {
        return step(id, stepId, request, Callers.subject(identity), wanted -> restores.start(wanted, identity));
    }

    /**
     * A step run by the suite itself (a game day) on a drill incident: its restores are drills into
     * a scratch destination, as a game day's always are.
     */
    public IncidentEvent automated(UUID id, String stepId, StepRequest request, String by) {
        return step(id, stepId, request, by, wanted -> restores.request(new RestoreService.Request(wanted.backupId(),
                wanted.target(), Boolean.TRUE.equals(wanted.latest()) ? incidents.now().plusSeconds(1) : wanted.latestBefore(),
                wanted.toTime(), wanted.destination(), "drill"), by));
    }

    private IncidentEvent step(UUID id, String stepId, StepRequest request, String by,
            java.util.function.Function<ai.loopgpt.dr.recovery.restore.RestoreRequest, Restore> restore) {
        Incident incident = QuarkusTransaction.requiringNew().call(() -> incidents.get(id));
        if (incident.status == Incident.Status.RESOLVED) {
            throw ProblemException.conflict("Incident " + id + " was resolved at " + incident.resolvedAt
                    + "; its steps are closed.");
        }
        Runbook runbook = runbooks.of(incident.scenario);
        Runbook.Step step = runbook.step(stepId).orElseThrow(() -> {
            List<String> elsewhere = runbooks.scenariosWithStep(stepId, incident.scenario);
            return new ProblemException(ProblemType.NOT_FOUND, "The " + incident.scenario.code() + " runbook has no step '"
                    + ProblemException.shorten(stepId) + "'" + (elsewhere.isEmpty() ? "" : " (it is a step of "
                    + String.join(", ", elsewhere) + ")") + ". Its steps: " + runbook.steps().stream()
                    .map(Runbook.Step::id).toList() + " (GET /api/v1/runbooks/" + incident.scenario.code() + ").");
        });
        String refused = refusal(step, request, incident.drill, settings.gameDayDeployments().orElse(List.of()));
        if (refused != null) {
            throw ProblemException.badRequest(refused);
        }
        String note = request == null ? null : request.note();
        if (step.action() == null) {
            return QuarkusTransaction.requiringNew().call(() -> {
                IncidentEvent done = IncidentEvent.<IncidentEvent>find("incidentId = ?1 and stepId = ?2 and outcome = 'done'",
                        id, stepId).firstResult();
                if (done != null) {
                    throw ProblemException.conflict("Step '" + stepId + "' was done at " + done.at + " by " + done.actor + ".");
                }
                Instant at = incidents.now();
                if (incident.scenario == Scenario.DATA_BREACH) {
                    // The GDPR clock stops once both are recorded.
                    Incident i = Incident.findById(id);
                    if ("notify-authorities".equals(stepId)) {
                        i.authorityNotifiedAt = at;
                    } else if ("notify-users".equals(stepId)) {
                        i.usersNotifiedAt = at;
                    }
                }
                return IncidentEvent.add(id, at, "step", stepId, by, "done", note, null);
            });
        }
        if ("post-update".equals(step.action())) {
            incidents.update(id, request.update().status(), request.update().body().strip(), by);
            return QuarkusTransaction.requiringNew().call(() -> IncidentEvent.add(id, incidents.now(), "step", stepId, by, "done",
                    note != null ? note : request.update().body().strip(), null));
        }
        if ("set-components".equals(step.action())) {
            return QuarkusTransaction.requiringNew().call(() -> {
                Instant at = incidents.now();
                communication.components(incident, request.components(), at);
                return IncidentEvent.add(id, at, "step", stepId, by, "done", (note != null ? note + " — " : "")
                        + "components: " + request.components(), null);
            });
        }
        String link;
        if ("restore".equals(step.action())) {
            ai.loopgpt.dr.recovery.restore.RestoreRequest wanted = request.restore();
            if (incident.drill) {
                // A game day restores only as a drill, into a scratch destination, and drops the copy.
                wanted = new ai.loopgpt.dr.recovery.restore.RestoreRequest(wanted.backupId(), wanted.target(), wanted.latestBefore(),
                        wanted.latest(), wanted.toTime(), wanted.destination(), "drill", null);
            }
            link = "/api/v1/restores/" + restore.apply(wanted).id;
        } else {
            Rollback rollback = rollbacks.start(request.rollback(), by);
            link = "/api/v1/rollbacks/" + rollback.id;
        }
        IncidentEvent started = QuarkusTransaction.requiringNew().call(
                () -> IncidentEvent.add(id, incidents.now(), "step", stepId, by, "started", note, link));
        LOG.infof("Incident %s: step %s started %s (%s)", id, stepId, link, by);
        return started;
    }

    /**
     * Why {@code request} cannot run {@code step}, or null: what each kind of step needs in its body,
     * and what a game day ({@code drill}) may do. Checked before anything is read or written.
     */
    static String refusal(Runbook.Step step, StepRequest request, boolean drill, List<String> gameDayDeployments) {
        String stepId = step.id();
        if (step.action() == null) {
            return request != null && (request.restore() != null || request.rollback() != null || request.update() != null
                    || request.components() != null)
                    ? "Step '" + stepId + "' is a checklist item: it runs nothing. Send a note only." : null;
        }
        switch (step.action()) {
            case "post-update":
                return request == null || request.update() == null
                        ? "Step '" + stepId + "' posts an update: send {\"update\": {\"status\": "
                                + "investigating|identified|monitoring, \"body\": ...}}." : null;
            case "set-components":
                return request == null || request.components() == null || request.components().isEmpty()
                        ? "Step '" + stepId + "' sets components on the status page: send "
                                + "{\"components\": {\"<component>\": \"operational\", ...}}." : null;
            case "restore":
                if (request == null || request.restore() == null) {
                    return "Step '" + stepId + "' runs a restore: send {\"restore\": {\"backupId\" "
                            + "or \"target\" and \"latest\": true or \"latestBefore\", \"destination\", \"mode\"?}} "
                            + "(as POST /api/v1/restores).";
                }
                String mode = request.restore().mode();
                return drill && mode != null && !"drill".equals(mode)
                        ? "A game day restores only as a drill into a scratch destination "
                                + "(recovery.destinations.<name>.scratch=true), never " + mode + "." : null;
            default:
                if (request == null || request.rollback() == null) {
                    return "Step '" + stepId + "' runs a rollback: send {\"rollback\": "
                            + "{\"namespace\", \"deployment\", \"toRevision\"?, \"healthUrl\"?}} (as POST /api/v1/rollbacks).";
                }
                String deployment = request.rollback().namespace() + "/" + request.rollback().deployment();
                return drill && !gameDayDeployments.contains(deployment)
                        ? "A game day rolls back only the drill Deployments listed in "
                                + "recovery.game-day-deployments (namespace/name), not " + deployment + "." : null;
        }
    }
}
