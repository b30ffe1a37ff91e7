package ai.loopgpt.dr.recovery.restore;


import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.problem.SqlErrors;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.client.BackupClient;
import ai.loopgpt.dr.recovery.client.BackupDto;
import ai.loopgpt.dr.recovery.client.StreamPlanDto;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.s3.BucketSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Checks and accepts restores and runs them in the background, each owned by this replica while it runs. */
@ApplicationScoped
public class RestoreService {

    private static final Logger LOG = Logger.getLogger(RestoreService.class);

    private final RecoverySettings settings;
    private final BackupClient backups;
    private final RestoreEngine engine;
    private final RestoreRecords records;
    private final BucketSettings bucket;
    private final AdvisoryLocks locks;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "restore-worker");
        t.setDaemon(true);
        return t;
    });

    public RestoreService(RecoverySettings settings, BucketSettings bucket, BackupClient backups, RestoreEngine engine,
            RestoreRecords records, AdvisoryLocks locks) {
        this.records = records;
        this.settings = settings;
        this.bucket = bucket;
        this.backups = backups;
        this.engine = engine;
        this.locks = locks;
    }

    /** What a restore request asks for, already checked for shape and roles; {@code toTime}: a restore to a time. */
    public record Request(UUID backupId, String target, Instant latestBefore, Instant toTime, String destination,
            String mode) {
    }

    /**
     * Checks a restore request as the API receives it (one way of naming the backup; an in-place
     * restore needs dr-admin and the destination's name repeated) and starts it.
     */
    public Restore start(RestoreRequest body, io.quarkus.security.identity.SecurityIdentity identity) {
        String mode = body.mode() == null ? "new-database" : body.mode();
        boolean latest = Boolean.TRUE.equals(body.latest());
        int ways = (body.backupId() != null ? 1 : 0) + (body.latestBefore() != null ? 1 : 0) + (latest ? 1 : 0)
                + (body.toTime() != null ? 1 : 0);
        if (ways != 1 || (body.backupId() == null) == (body.target() == null)) {
            throw ProblemException.badRequest("Name the backup one way: backupId, or target with latest: true (the"
                    + " newest good backup), or target with latestBefore (the newest good backup taken before then),"
                    + " or target with toTime (a streamed target as it was then: its base backup and its changes up to"
                    + " the last committed at or before toTime).");
        }
        if ("in-place".equals(mode)) {
            if (!identity.hasRole(ai.loopgpt.dr.common.security.Roles.ADMIN)) {
                throw forbidden("An in-place restore replaces the destination's data: it needs dr-admin.");
            }
            if (!body.destination().equals(body.confirm())) {
                throw ProblemException.badRequest("An in-place restore replaces '" + body.destination()
                        + "': set confirm to the destination's name to go ahead.");
            }
        }
        return request(new Request(body.backupId(), body.target() == null ? null : body.target().strip(),
                latest ? Instant.now().plusSeconds(1) : body.latestBefore(), body.toTime(), body.destination().strip(),
                mode), ai.loopgpt.dr.common.security.Callers.subject(identity));
    }

    public Restore request(Request request, String requestedBy) {
        if (!settings.destinations().containsKey(request.destination())) {
            throw ProblemException.badRequest("Destination '" + request.destination()
                    + "' is not in the allow-list (recovery.destinations): "
                    + String.join(", ", settings.destinations().keySet()) + ".");
        }
        boolean scratch = settings.destinations().get(request.destination()).scratch();
        if ("drill".equals(request.mode()) != scratch) {
            throw ProblemException.badRequest(scratch
                    ? "Destination '" + request.destination() + "' is a scratch destination: only drill restores go there."
                    : "A drill restores only into a scratch destination (recovery.destinations.<name>.scratch=true); '"
                            + request.destination() + "' is not one.");
        }
        StreamPlanDto plan = request.toTime() == null ? null : backups.streamPlan(request.target(), request.toTime());
        BackupDto backup = plan != null
                ? backups.backup(plan.base().id()).orElseThrow(() -> ProblemException.conflict("backup-service planned "
                        + "base backup " + plan.base().id() + " but does not know it; retry the restore."))
                : request.backupId() != null
                ? backups.backup(request.backupId()).orElseThrow(() -> ProblemException.badRequest(
                        "backup-service knows no backup " + request.backupId() + "."))
                : backups.latestBefore(request.target(), request.latestBefore()).orElseThrow(() ->
                        ProblemException.badRequest("backup-service has no good backup of '" + request.target()
                                + "' taken before " + request.latestBefore().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                + ": take one (drctl backup create --target " + request.target() + " --wait)."));
        if (!backup.succeeded()) {
            throw ProblemException.conflict("Backup " + backup.id() + " is " + backup.phase()
                    + "; only SUCCEEDED backups can be restored.");
        }
        if (backup.tableRows() == null || backup.sha256() == null) {
            throw ProblemException.conflict("Backup " + backup.id() + " has no checksum or row counts to verify against.");
        }
        checkLocation(backup);
        if (plan != null) {
            plan.segments().forEach(segment -> checkLocation(backup, segment.objectKey()));
        }
        UUID id = UUID.randomUUID();
        // Owned from before the row exists: the reaper never takes a restore a live replica is starting.
        AdvisoryLocks.Held ownership = locks.tryLock(RestoreReaper.LOCK_SPACE, id.toString());
        Restore restore;
        try {
            restore = QuarkusTransaction.requiringNew().call(() -> {
                Restore r = new Restore();
                r.id = id;
                r.backupId = backup.id();
                r.target = backup.target();
                r.destination = request.destination();
                r.mode = request.mode();
                r.phase = JobPhase.PENDING;
                r.requestedBy = requestedBy;
                r.createdAt = records.now();
                r.backupStartedAt = backup.startedAt();
                r.toTime = request.toTime();
                r.bytesTotal = backup.sizeBytes();
                r.persist();
                return r;
            });
        } catch (RuntimeException e) {
            ownership.close();
            if (SqlErrors.isUniqueViolation(e)) {
                String running = QuarkusTransaction.requiringNew().call(() -> Restore.<Restore>find(
                        "destination = ?1 and phase in ?2", request.destination(),
                        JobPhase.OPEN).firstResultOptional()
                        .map(r -> " (" + r.id + ", GET /api/v1/restores/" + r.id + ")").orElse(""));
                throw ProblemException.conflict("A restore into '" + request.destination()
                        + "' is already running" + running + "; wait for it to finish.");
            }
            throw e;
        }
        try {
            workers.execute(() -> {
                try (ownership) {
                    engine.run(restore.id, backup, plan, ownership);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Restore %s could not be run to its end; the reaper settles it", restore.id);
                }
            });
        } catch (RejectedExecutionException e) {
            ownership.close();
            records.fail(restore.id, "recovery-service was shutting down when the restore was accepted; nothing was "
                    + "touched. Start the restore again.", null);
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "recovery-service is shutting down; retry on "
                    + "another replica.");
        }
        LOG.infof("Restore %s of backup %s%s into %s (%s) accepted for %s", restore.id, backup.id(),
                plan == null ? "" : " and " + plan.segments().size() + " change segments to " + request.toTime(),
                request.destination(), request.mode(), requestedBy);
        return restore;
    }

    /**
     * Restores read only objects under the backup prefix of the configured bucket: a manifest written
     * into the bucket by someone else must not point a restore at an arbitrary object.
     */
    void checkLocation(BackupDto backup) {
        checkLocation(backup, backup.objectKey());
    }

    /** {@code key} (the backup's object, or one of the change segments after it) is in the backup area. */
    void checkLocation(BackupDto backup, String key) {
        boolean inside = bucket.bucket().equals(backup.bucket()) && key != null
                && key.startsWith(settings.backupPrefix()) && !key.contains("//") && !key.contains("\\")
                && java.util.Arrays.stream(key.split("/")).noneMatch(part -> part.equals("..") || part.equals("."));
        if (!inside) {
            throw ProblemException.conflict("Backup " + backup.id() + " points at s3://" + backup.bucket() + "/"
                    + ProblemException.shorten(String.valueOf(key)) + ", outside the backup area s3://" + bucket.bucket()
                    + "/" + settings.backupPrefix() + "; it is not restored. Check where its manifest came from.");
        }
    }

    public Restore get(UUID id) {
        return Restore.<Restore>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("restore", id));
    }

    public PageOf<Restore> list(String destination, int page, int size) {
        Sort newestFirst = Sort.descending("createdAt").and("id");
        var found = destination == null ? Restore.<Restore>findAll(newestFirst)
                : Restore.<Restore>find("destination", newestFirst, destination);
        return new PageOf<>(found.page(page, size).list(), page, size, found.count());
    }

    void onStop(@Observes ShutdownEvent stop) {
        workers.shutdownNow();
        try {
            workers.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }
}
