package ai.loopgpt.dr.backup.rest;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.service.BackupService;
import ai.loopgpt.dr.backup.service.RetentionService;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Backups: ask for one, follow it, list them, download one. */
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Backups",
        description = "Backups of the targets, streamed to S3: take one, follow it, pin, download or delete it")
public class BackupResource {

    private final BackupService backups;
    private final RetentionService retention;
    private final SecurityIdentity identity;
    private final BackupSettings settings;

    public BackupResource(BackupService backups, RetentionService retention, SecurityIdentity identity,
            BackupSettings settings) {
        this.backups = backups;
        this.retention = retention;
        this.identity = identity;
        this.settings = settings;
    }

    /** Body of a pin: why the backup must be kept. */
    public record PinRequest(@NotBlank @Size(max = 500) String reason) {
    }

    /** Body of a backup request. */
    public record BackupRequest(
            @NotBlank @Size(max = 40) String target,
            @NotNull BackupKind kind,
            @Size(max = 500) String reason,
            DumpFormat format,
            Compression compression,
            @Min(1) @Max(16) Integer jobs) {
    }

    /** A short-lived download link. */
    public record Download(String url, Instant expiresAt) {
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "startBackup", summary = "Takes a backup now: 202 with its URL; follow it there")
    public Response create(@Valid @NotNull BackupRequest body, @Context UriInfo uri) {
        if (!identity.hasRole(Roles.OPERATOR) && body.kind() == BackupKind.MANUAL) {
            // Services take automatic, drill and pre-change (safety) backups; a person asks for manual ones.
            throw new ProblemException(ProblemType.FORBIDDEN, "A manual backup needs dr-operator; services take "
                    + "automatic, drill and pre-change backups.");
        }
        DumpFormat format = body.format() == null ? DumpFormat.PLAIN : body.format();
        Compression compression = body.compression() == null ? Compression.GZIP : body.compression();
        int jobs = body.jobs() == null ? (format == DumpFormat.DIRECTORY ? 2 : 1) : body.jobs();
        if (jobs > 1 && format != DumpFormat.DIRECTORY) {
            throw ProblemException.badRequest("jobs > 1 needs format 'directory': pg_dump dumps in parallel only there.");
        }
        Backup backup = backups.request(new BackupService.Request(body.target().strip(), body.kind(),
                body.reason(), format, compression, jobs), Callers.subject(identity));
        return Response.accepted(BackupView.of(backup))
                .location(uri.getAbsolutePathBuilder().path(backup.id.toString()).build()).build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listBackups",
            summary = "Lists backups, newest first; before=<time> lists those whose snapshot is older, newest snapshot first")
    public PageOf<BackupView> list(@QueryParam("target") String target,
            @QueryParam("status") BackupPhase status,
            @QueryParam("kind") String kind,
            @QueryParam("since") Instant since,
            @QueryParam("before") Instant before,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        BackupKind parsedKind;
        try {
            parsedKind = kind == null ? null : BackupKind.of(kind);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Query parameter kind: " + e.getMessage() + ".");
        }
        PageOf<Backup> found = backups.list(new BackupService.Query(target, status, parsedKind, since, before), page, size);
        return new PageOf<>(found.items().stream().map(BackupView::of).toList(), page, size, found.total());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getBackup", summary = "Shows one backup: phase, timings, object, checksum, row counts")
    public BackupView get(@PathParam("id") UUID id) {
        return BackupView.of(backups.get(id));
    }

    @POST
    @Path("/{id}/pin")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "pinBackup",
            summary = "Pins a SUCCEEDED backup: retention keeps it, whatever its age, until it is unpinned")
    public BackupView pin(@PathParam("id") UUID id, @Valid @NotNull PinRequest body) {
        return BackupView.of(retention.pin(id, Callers.subject(identity), body.reason().strip()));
    }

    @DELETE
    @Path("/{id}/pin")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "unpinBackup", summary = "Unpins a backup: retention applies again at the next sweep")
    public BackupView unpin(@PathParam("id") UUID id) {
        return BackupView.of(retention.unpin(id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteBackup",
            summary = "Deletes a backup from the bucket before its expiry (409 if pinned, or the newest good or "
            + "verified one of its target); it stays listed as EXPIRED")
    public BackupView delete(@PathParam("id") UUID id, @QueryParam("reason") @Size(max = 500) String reason) {
        return BackupView.of(retention.delete(id, Callers.subject(identity), reason));
    }

    @GET
    @Path("/{id}/download")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "getBackupDownload", summary = "A short-lived presigned URL to download the backup object")
    public Download download(@PathParam("id") UUID id) {
        String url = backups.downloadUrl(id);
        return new Download(url, Instant.now().plus(settings.storage().downloadUrlLifetime()));
    }
}
