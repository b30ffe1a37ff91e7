package ai.loopgpt.dr.recovery.rollback.rest;

import ai.loopgpt.dr.recovery.rollback.RollbackRequest;
import ai.loopgpt.dr.recovery.rollback.DeploymentHistory;
import ai.loopgpt.dr.recovery.rollback.Rollback;
import ai.loopgpt.dr.recovery.rollback.RollbackService;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Kubernetes Deployment rollbacks and the revision history they choose from. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Rollbacks", description = "Kubernetes Deployment rollbacks and the revisions they return to")
public class RollbackResource {

    private final RollbackService rollbacks;
    private final DeploymentHistory history;
    private final SecurityIdentity identity;
    private final RecoverySettings settings;

    public RollbackResource(RollbackService rollbacks, DeploymentHistory history, SecurityIdentity identity,
            RecoverySettings settings) {
        this.settings = settings;
        this.rollbacks = rollbacks;
        this.history = history;
        this.identity = identity;
    }

    public record RollbackView(UUID id, String namespace, String deployment, Long fromRevision, long toRevision,
            List<String> images, String healthUrl, Integer healthStatus, JobPhase phase, String requestedBy,
            Instant createdAt, Instant startedAt, Instant finishedAt, Long durationMillis, String failureReason) {
        static RollbackView of(Rollback r) {
            return new RollbackView(r.id, r.namespace, r.deployment, r.fromRevision, r.toRevision,
                    r.images == null ? List.of() : List.of(r.images.split(",")), r.healthUrl, r.healthStatus, r.phase,
                    r.requestedBy, r.createdAt, r.startedAt, r.finishedAt,
                    r.startedAt != null && r.finishedAt != null ? Duration.between(r.startedAt, r.finishedAt).toMillis() : null,
                    r.failureReason);
        }
    }

    public record RevisionView(long revision, List<String> images, Instant createdAt, String changeCause, boolean current) {
    }

    @POST
    @Path("/rollbacks")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "startRollback",
            summary = "Rolls a Deployment back like kubectl rollout undo [--to-revision], then checks its health URL")
    public Response create(@Valid @NotNull RollbackRequest body, @Context UriInfo uri) {
        Rollback rollback = rollbacks.start(body, Callers.subject(identity));
        return Response.accepted(RollbackView.of(rollback))
                .location(uri.getBaseUriBuilder().path("/api/v1/rollbacks/" + rollback.id).build()).build();
    }

    @GET
    @Path("/rollbacks")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listRollbacks", summary = "Lists rollbacks, newest first")
    public PageOf<RollbackView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        var found = rollbacks.list(page, size);
        return new PageOf<>(found.items().stream().map(RollbackView::of).toList(), page, size, found.total());
    }

    @GET
    @Path("/rollbacks/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getRollback",
            summary = "Shows one rollback: revisions, phase, health check, failure reason")
    public RollbackView get(@PathParam("id") UUID id) {
        return RollbackView.of(rollbacks.get(id));
    }

    @GET
    @Path("/deployments/{namespace}/{name}/revisions")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listDeploymentRevisions",
            summary = "A Deployment's revisions, newest first, with images, time and change cause")
    public List<RevisionView> revisions(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return history.revisions(namespace, name).stream()
                .map(r -> new RevisionView(r.revision(), r.images(), r.createdAt(), r.changeCause(), r.current()))
                .toList();
    }
}
