package ai.loopgpt.dr.status.rest;

import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.status.ComponentStatus;
import ai.loopgpt.dr.status.Impact;
import ai.loopgpt.dr.status.Incident;
import ai.loopgpt.dr.status.IncidentStatus;
import ai.loopgpt.dr.status.service.PublicIncidentService;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API: open and update incidents, schedule maintenance. The public side shows them within seconds. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Incidents", description = "Public incidents and scheduled maintenances on the status page")
public class IncidentAdminResource {

    private final PublicIncidentService incidents;

    public IncidentAdminResource(PublicIncidentService incidents) {
        this.incidents = incidents;
    }

    /** A new incident and its first update; {@code components} maps component ids to their new statuses. */
    public record NewIncident(@NotBlank @Size(max = 200) String name, @NotNull IncidentStatus status,
            @NotNull Impact impact, @NotBlank @Size(max = 10_000) String body,
            Map<String, ComponentStatus> components,
            @jakarta.validation.constraints.Pattern(regexp = ID, message = ID_RULE) String id) {
    }

    /** An update of an incident's timeline. */
    public record NewUpdate(@NotNull IncidentStatus status, @NotBlank @Size(max = 10_000) String body,
            Map<String, ComponentStatus> components,
            @jakarta.validation.constraints.Pattern(regexp = ID, message = ID_RULE) String id) {
    }

    /**
     * An id a caller may choose for an incident or an update, so that sending it again (a retry
     * after a lost answer) opens or posts nothing twice.
     */
    static final String ID = "[a-z0-9]{12,40}";
    static final String ID_RULE = "must be 12 to 40 lower-case letters and digits";

    /** A scheduled maintenance. */
    public record NewMaintenance(@NotBlank @Size(max = 200) String name,
            @NotNull @JsonProperty("scheduled_for") Instant scheduledFor,
            @NotNull @JsonProperty("scheduled_until") Instant scheduledUntil,
            @NotBlank @Size(max = 10_000) String body, List<String> components) {
    }

    /** An incident as the admin API shows it. */
    public record IncidentView(String id, String kind, String name, IncidentStatus status, Impact impact,
            Instant startedAt, Instant updatedAt, Instant resolvedAt, Instant scheduledFor, Instant scheduledUntil,
            List<String> components, int updates) {
        static IncidentView of(Incident i) {
            return new IncidentView(i.id, i.kind, i.name, i.status, i.impact, i.startedAt, i.updatedAt, i.resolvedAt,
                    i.scheduledFor, i.scheduledUntil, List.copyOf(i.components), i.updates.size());
        }
    }

    @POST
    @Path("/incidents")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "openIncident", summary = "Opens an incident")
    public Response open(@Valid @NotNull NewIncident body) {
        Incident incident = incidents.open(body.id(), body.name().strip(), body.status(), body.impact(), body.body(),
                body.components() == null ? Map.of() : body.components());
        return Response.created(URI.create("/api/v1/incidents/" + incident.id)).entity(IncidentView.of(incident)).build();
    }

    @POST
    @Path("/incidents/{id}/updates")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "postIncidentUpdate", summary = "Posts an update: new status, message, component statuses")
    public Response update(@PathParam("id") String id, @Valid @NotNull NewUpdate body) {
        Incident incident = incidents.update(id, body.id(), body.status(), body.body(),
                body.components() == null ? Map.of() : body.components());
        return Response.status(Response.Status.CREATED).entity(IncidentView.of(incident)).build();
    }

    @POST
    @Path("/maintenances")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "scheduleMaintenance",
            summary = "Schedules maintenance; it starts and completes by itself at its times")
    public Response schedule(@Valid @NotNull NewMaintenance body) {
        Incident maintenance = incidents.schedule(body.name().strip(), body.scheduledFor(), body.scheduledUntil(),
                body.body(), body.components() == null ? List.of() : body.components());
        return Response.created(URI.create("/api/v1/incidents/" + maintenance.id)).entity(IncidentView.of(maintenance)).build();
    }

    @GET
    @Path("/incidents")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listIncidents",
            summary = "Lists the latest incidents and maintenances (at most 100), newest first")
    public List<IncidentView> list() {
        return incidents.recent(100).stream().map(IncidentView::of).toList();
    }

    @GET
    @Path("/incidents/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getIncident", summary = "Shows one incident or maintenance with its updates")
    public IncidentView get(@PathParam("id") String id) {
        return IncidentView.of(incidents.get(id));
    }
}
