package ai.loopgpt.dr.backup.rest;

import ai.loopgpt.dr.backup.drill.Drill;
import ai.loopgpt.dr.backup.drill.DrillReport;
import ai.loopgpt.dr.backup.drill.DrillService;
import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Drills: integrity verifications and test restores, their evidence, and the report of their history. */
@Path("/api/v1/drills")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Drills", description = "Drills that prove backups restore: integrity and restore drills, and their report")
public class DrillResource {

    private final DrillService drills;
    private final DrillReport report;
    private final SecurityIdentity identity;

    public DrillResource(DrillService drills, DrillReport report, SecurityIdentity identity) {
        this.drills = drills;
        this.report = report;
        this.identity = identity;
    }

    /** Body of a drill request: its type, the target, and a backup (default: the target's newest good one). */
    public record DrillRequest(@NotNull Drill.Type type, @NotBlank @Size(max = 40) String target, UUID backupId) {
    }

    /** A drill as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DrillView(UUID id, Drill.Type type, String target, UUID backupId, JobPhase phase,
            String requestedBy, Instant createdAt, Instant startedAt, Instant finishedAt, Long durationMillis,
            String failureReason, Map<String, Object> evidence, UUID restoreId, Long rtoSeconds) {

        static DrillView of(Drill d) {
            Long duration = d.startedAt != null && d.finishedAt != null
                    ? Duration.between(d.startedAt, d.finishedAt).toMillis() : null;
            return new DrillView(d.id, d.type, d.target, d.backupId, d.phase, d.requestedBy, d.createdAt, d.startedAt,
                    d.finishedAt, duration, d.failureReason, d.evidence, d.restoreId, d.rtoSeconds);
        }
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "startDrill",
            summary = "Runs a drill now (integrity or restore): 202 with its URL; follow it there")
    public Response create(@Valid @NotNull DrillRequest body, @Context UriInfo uri) {
        Drill drill = drills.request(body.type(), body.target().strip(), body.backupId(), Callers.subject(identity));
        return Response.accepted(DrillView.of(drill))
                .location(uri.getAbsolutePathBuilder().path(drill.id.toString()).build()).build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listDrills", summary = "Lists drills, newest first")
    public PageOf<DrillView> list(@QueryParam("target") String target, @QueryParam("type") Drill.Type type,
            @QueryParam("since") Instant since,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        PageOf<Drill> found = drills.list(target, type, since, page, size);
        return new PageOf<>(found.items().stream().map(DrillView::of).toList(), page, size, found.total());
    }

    @GET
    @Path("/report")
    @Produces("text/markdown; charset=utf-8")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getDrillReport",
            summary = "The drill history as Markdown: per target, the restore drills (RTO samples) and verifications; "
                    + "then recovery-service's game days")
    public String report(@QueryParam("since") Instant since) {
        return report.render(since);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getDrill", summary = "Shows one drill: phase, timings, evidence, failure reason")
    public DrillView get(@PathParam("id") UUID id) {
        return DrillView.of(drills.get(id));
    }
}
