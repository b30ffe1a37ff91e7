package ai.loopgpt.dr.recovery.gameday.rest;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.gameday.GameDay;
import ai.loopgpt.dr.recovery.gameday.GameDayPlan;
import ai.loopgpt.dr.recovery.gameday.GameDayRunner;
import ai.loopgpt.dr.recovery.gameday.GameDayScenario;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.IncidentRunbookService;
import ai.loopgpt.dr.recovery.incident.Scenario;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The plan's quarterly game day: run by the suite ({@code run: true}: the four test scenarios, each
 * a drill incident worked through and measured), or one drill incident of a scenario for people to
 * work through. Scratch targets, drill Deployments and the drill audience only; never the public page.
 */
@Path("/api/v1/drills/game-days")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Game days", description = "The plan's quarterly DR test, run and measured by the suite")
public class GameDayResource {

    private final IncidentRunbookService incidents;
    private final GameDayRunner runner;
    private final RecoverySettings settings;
    private final SecurityIdentity identity;

    public GameDayResource(IncidentRunbookService incidents, GameDayRunner runner, RecoverySettings settings,
            SecurityIdentity identity) {
        this.incidents = incidents;
        this.runner = runner;
        this.settings = settings;
        this.identity = identity;
    }

    /**
     * Body of a game day: {@code run: true} and optionally which of the plan's test scenarios
     * (database-restore, edge-function-rollback, complete-service-recovery, communication-plan; all
     * four by default), or {@code scenario}: the one incident scenario to practise by hand.
     */
    public record GameDayRequest(Scenario scenario, Boolean run, @Size(max = 4) List<@NotNull GameDayPlan> scenarios) {
    }

    /** A scenario of a game day, as the API shows it. */
    public record ScenarioView(GameDayPlan scenario, String title, GameDayScenario.Phase phase, UUID incidentId,
            Instant startedAt, Instant finishedAt, String step, String failedStep, String reason, Double rtoSeconds,
            Double rpoSeconds, Double firstMessageSeconds, List<Map<String, Object>> actions,
            Map<String, Map<String, String>> components) {
        static ScenarioView of(GameDayScenario s) {
            GameDayPlan plan = GameDayPlan.of(s.scenario);
            return new ScenarioView(plan, plan.title(), s.phase, s.incidentId, s.startedAt, s.finishedAt, s.step,
                    s.failedStep, s.reason, s.rtoSeconds, s.rpoSeconds, s.firstMessageSeconds, s.actions, s.components);
        }
    }

    /** The plan's objectives the scenarios are measured against. */
    public record Objectives(long rtoSeconds, long rpoSeconds) {
    }

    /** A game day, as the API shows it. */
    public record GameDayView(UUID id, String phase, String requestedBy, Instant createdAt, Instant startedAt,
            Instant finishedAt, String failureReason, Objectives objectives, List<ScenarioView> scenarios) {
    }

    private GameDayView view(GameDay d) {
        return new GameDayView(d.id, d.phase.name(), d.requestedBy, d.createdAt, d.startedAt, d.finishedAt,
                d.failureReason, new Objectives(settings.rto().toSeconds(), settings.rpo().toSeconds()),
                GameDayScenario.of(d.id).stream().map(ScenarioView::of).toList());
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "startGameDay",
            summary = "Starts a game day. {run: true, scenarios?}: the suite runs the plan's test scenarios one after "
            + "another and measures them (202, follow GET /api/v1/drills/game-days/{id}; 409 while one runs). "
            + "{scenario}: one drill incident of that scenario for people to work through (201 with its URL)")
    public Response start(@Valid @NotNull GameDayRequest body) {
        boolean run = Boolean.TRUE.equals(body.run());
        if (run == (body.scenario() != null)) {
            throw ProblemException.badRequest("Send {\"run\": true} (optionally with \"scenarios\": [database-restore, "
                    + "edge-function-rollback, complete-service-recovery, communication-plan]) to run a game day, or "
                    + "{\"scenario\": \"database-failure\"} (an incident scenario) to declare one drill incident; not both.");
        }
        if (!run) {
            if (body.scenarios() != null) {
                throw ProblemException.badRequest("scenarios chooses the test scenarios of a game day that runs: "
                        + "send it with {\"run\": true}.");
            }
            Incident incident = incidents.declare(new IncidentRunbookService.Declaration("Game day "
                    + LocalDate.now(ZoneOffset.UTC) + ": " + body.scenario().title(), body.scenario(),
                    Incident.Severity.MINOR, "The plan's quarterly full drill of the " + body.scenario().title()
                    + " runbook.", List.of(), List.of(), Map.of(), null, null, true, null), Callers.subject(identity));
            return Response.created(URI.create("/api/v1/incidents/" + incident.id))
                    .entity(Map.of("id", incident.id, "title", incident.title, "scenario", incident.scenario.code(),
                            "drill", true)).build();
        }
        GameDay day = runner.start(body.scenarios(), Callers.subject(identity));
        return Response.accepted(QuarkusTransaction.requiringNew().call(() -> view(runner.get(day.id))))
                .location(URI.create("/api/v1/drills/game-days/" + day.id)).build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listGameDays",
            summary = "The game days started since 'since' (default: 90 days ago), newest first, with each scenario's "
            + "phase, measurements and failure")
    public List<GameDayView> list(@QueryParam("since") Instant since) {
        Instant from = since != null ? since : Instant.now().minus(Duration.ofDays(90));
        return QuarkusTransaction.requiringNew().call(() -> runner.since(from).stream().map(this::view).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getGameDay", summary = "A game day: its phase, and each scenario's phase, step, "
            + "measurements (RTO, RPO, time to first message, each action) and failure")
    public GameDayView get(@PathParam("id") UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> view(runner.get(id)));
    }
}
