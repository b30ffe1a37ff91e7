package ai.loopgpt.dr.recovery.incident.rest;

import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.Scenario;
import ai.loopgpt.dr.recovery.incident.IncidentRunbookService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The plan's quarterly full drill: an incident of a scenario, run for practice against scratch targets. */
@Path("/api/v1/drills/game-days")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Incidents")
public class GameDayResource {

    private final IncidentRunbookService incidents;
    private final SecurityIdentity identity;

    public GameDayResource(IncidentRunbookService incidents, SecurityIdentity identity) {
        this.incidents = incidents;
        this.identity = identity;
    }

    /** Body of a game day: the scenario to practise. */
    public record GameDay(@NotNull Scenario scenario) {
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "startGameDay",
            summary = "Starts a game day: a drill incident of the scenario (scratch targets only, drill audience only, "
            + "never the public page); 201 with the incident's URL")
    public Response start(@Valid @NotNull GameDay body) {
        Incident incident = incidents.declare(new IncidentRunbookService.Declaration("Game day " + LocalDate.now(ZoneOffset.UTC)
                + ": " + body.scenario().title(), body.scenario(), Incident.Severity.MINOR,
                "The plan's quarterly full drill of the " + body.scenario().title() + " runbook.", List.of(), List.of(),
                Map.of(), null, null, true, null), Callers.subject(identity));
        return Response.created(URI.create("/api/v1/incidents/" + incident.id))
                .entity(Map.of("id", incident.id, "title", incident.title, "scenario", incident.scenario.code(),
                        "drill", true)).build();
    }
}
