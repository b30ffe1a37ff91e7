package ai.loopgpt.dr.recovery.restore.rest;

import ai.loopgpt.dr.recovery.restore.RestoreRequest;
import ai.loopgpt.dr.recovery.restore.Restore;
import ai.loopgpt.dr.recovery.restore.RestoreReaper;
import ai.loopgpt.dr.recovery.restore.RestoreService;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** Restores: a backup into a new database (default) or in place of the destination. */
@Path("/api/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Restores",
        description = "Verified restores of backups into a destination database, and the destinations allowed")
public class RestoreResource {

    private final RestoreService restores;
    private final SecurityIdentity identity;

    private final RestoreReaper reaper;

    public RestoreResource(RestoreService restores, RestoreReaper reaper, SecurityIdentity identity) {
        this.restores = restores;
        this.reaper = reaper;
        this.identity = identity;
    }

    /** A restore as the API shows it. */
    public record RestoreView(UUID id, UUID backupId, String target, String destination, String mode,
            JobPhase phase, String step, String requestedBy, Instant createdAt, Instant startedAt,
            Instant finishedAt, Long durationMillis, Instant backupTakenAt, Long dataLossWindowSeconds,
            UUID safetyBackupId, String restoredDatabase, String replacedDatabase, Instant replacedDroppedAt,
            Progress progress, Map<String, Long> tableRows, Map<String, Long> phases, String failureReason,
            Instant scratchDroppedAt, ToTime toTime) {

        /**
         * A restore to a time: the time asked for, and the exact point reached (the last transaction
         * applied: its commit time and LSN; none when nothing was committed between the base and the time).
         */
        public record ToTime(Instant requested, Instant reachedCommitTime, String reachedLsn, Integer segmentsApplied,
                Long transactionsApplied) {
        }

        /** How far it got. */
        public record Progress(long bytesRead, Long bytesTotal, int tablesRestored, int tablesVerified) {
        }

        static RestoreView of(Restore r) {
            Long duration = r.startedAt != null && r.finishedAt != null
                    ? Duration.between(r.startedAt, r.finishedAt).toMillis() : null;
            // What a restore brings back ends at its backup's snapshot, or at the last change replayed.
            Instant restoredUpTo = r.reachedCommitTime != null ? r.reachedCommitTime : r.backupStartedAt;
            Long window = restoredUpTo != null && r.startedAt != null
                    ? Duration.between(restoredUpTo, r.startedAt).toSeconds() : null;
            return new RestoreView(r.id, r.backupId, r.target, r.destination, r.mode, r.phase, r.step, r.requestedBy,
                    r.createdAt, r.startedAt, r.finishedAt, duration, r.backupStartedAt, window, r.safetyBackupId,
                    r.restoredDatabase, r.replacedDatabase, r.replacedDroppedAt,
                    new Progress(r.bytesRead, r.bytesTotal, r.tablesRestored, r.tablesVerified), r.tableRows, r.phaseMillis,
                    r.failureReason,
                    r.scratchDroppedAt, r.toTime == null ? null : new ToTime(r.toTime, r.reachedCommitTime, r.reachedLsn,
                            r.segmentsApplied, r.transactionsApplied));
        }
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "startRestore",
            summary = "Restores a backup: into a new database (default), in place after a safety backup (dr-admin), "
            + "or as a drill into a scratch destination (verified, then dropped)")
    public Response create(@Valid @NotNull RestoreRequest body, @Context UriInfo uri) {
        Restore restore = restores.start(body, identity);
        return Response.accepted(RestoreView.of(restore))
                .location(uri.getAbsolutePathBuilder().path(restore.id.toString()).build()).build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listRestores", summary = "Lists restores, newest first")
    public PageOf<RestoreView> list(@QueryParam("destination") String destination,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        PageOf<Restore> found = restores.list(destination, page, size);
        return new PageOf<>(found.items().stream().map(RestoreView::of).toList(), page, size, found.total());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getRestore",
            summary = "Shows a restore: phase, step, progress, timings, data-loss window, outcome")
    public RestoreView get(@PathParam("id") UUID id) {
        return RestoreView.of(restores.get(id));
    }

    @DELETE
    @Path("/{id}/replaced-database")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "dropReplacedDatabase",
            summary = "Drops the database an in-place restore replaced (kept until then, or until "
            + "recovery.replaced-retention has passed)")
    public RestoreView dropReplaced(@PathParam("id") UUID id) throws Exception {
        return RestoreView.of(reaper.dropReplaced(id, Callers.subject(identity)));
    }
}
