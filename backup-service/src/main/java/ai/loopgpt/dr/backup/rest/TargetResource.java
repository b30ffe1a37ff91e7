package ai.loopgpt.dr.backup.rest;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.service.BackupService;
import ai.loopgpt.dr.backup.service.RecoveryPoints;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import ai.loopgpt.dr.backup.TargetCheck;
import ai.loopgpt.dr.backup.service.TargetService;
import ai.loopgpt.dr.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The databases backup-service protects. */
@Path("/api/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Targets", description = "The databases to protect, and checks that each can be backed up")
public class TargetResource {

    private final TargetService targets;
    private final BackupService backups;
    private final BackupSettings settings;
    private final Clock clock;
    private final RecoveryPoints points;

    public TargetResource(TargetService targets, BackupService backups, BackupSettings settings, Clock clock,
            RecoveryPoints points) {
        this.points = points;
        this.targets = targets;
        this.backups = backups;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A target as the API shows it: where it is (never its password), its last good backup, up to when
     * every committed change can be restored ({@code restorableUntil}: that backup's snapshot, or for a
     * streamed target its stream's last durable change) and the age of that point (what a failure now
     * would lose) against its RPO, and its last check.
     */
    public record TargetView(String name, String host, int port, String database, String user,
            LastBackup lastBackup, boolean streamed, Instant restorableUntil, Long rpoAgeSeconds, long rpoSeconds,
            boolean rpoBreached, CheckView lastCheck) {
    }

    /** The newest SUCCEEDED backup of a target. */
    public record LastBackup(UUID id, BackupKind kind, Instant startedAt, Instant finishedAt, Long sizeBytes) {
    }

    private TargetView view(Target t) {
        RecoveryPoints.Point point = points.of(t.name());
        Instant now = clock.instant();
        return new TargetView(t.name(), t.host(), t.port(), t.database(), t.user(),
                point.lastGood().map(b -> new LastBackup(b.id, b.kind, b.startedAt, b.finishedAt, b.sizeBytes)).orElse(null),
                point.streamed(), point.until(), point.ageSeconds(now), point.objective().toSeconds(), point.breached(now),
                TargetCheck.latest(t.name()).map(CheckView::of).orElse(null));
    }

    /** The result of a check. */
    public record CheckView(Instant checkedAt, boolean reachable, boolean dumpable, String serverVersion,
            String pgDumpVersion, Long databaseBytes, String problem) {
        static CheckView of(TargetCheck c) {
            return new CheckView(c.checkedAt, c.reachable, c.dumpable, c.serverVersion, c.pgDumpVersion,
                    c.databaseBytes, c.problem);
        }
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listTargets", summary = "Lists the configured targets with their last check")
    public List<TargetView> list() {
        return targets.all().stream().map(this::view).toList();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getTarget", summary = "Shows one target with its last check")
    public TargetView get(@PathParam("name") String name) {
        return view(targets.get(name));
    }

    /** Options of a check; the body may be left out. */
    public record CheckRequest(@Min(1) @Max(120) Integer timeoutSeconds) {
    }

    @POST
    @Path("/{name}/checks")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "checkTarget",
            summary = "Checks that the target can be backed up: login, server version, pg_dump compatibility")
    public CheckView check(@PathParam("name") String name, @Valid CheckRequest request) {
        int timeout = request == null || request.timeoutSeconds() == null ? 10 : request.timeoutSeconds();
        return CheckView.of(targets.check(name, timeout));
    }
}
