package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.alert.AlertService;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.storage.BackupLayout;
import ai.loopgpt.dr.backup.storage.BackupManifest;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.common.job.OrphanReaper;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.problem.SqlErrors;
import ai.loopgpt.dr.common.web.PageOf;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Accepts backups (one per target at a time), runs them in the background, and cleans up after dead ones. */
@ApplicationScoped
public class BackupService {

    private static final Logger LOG = Logger.getLogger(BackupService.class);

    private final TargetService targets;
    private final BackupEngine engine;
    private final BackupRecords records;
    private final BackupLocks locks;
    private final BackupStore store;
    private final BackupSettings settings;
    private final BackupMetrics metrics;
    private final Scheduler scheduler;
    private final AlertService alerts;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    /** Backups left open by a process that died: settled from the bucket's truth. */
    private final OrphanReaper<Backup> orphans;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "backup-worker");
        t.setDaemon(true);
        return t;
    });

    public BackupService(TargetService targets, BackupEngine engine, BackupRecords records, BackupLocks locks,
            BackupStore store, BackupSettings settings, BackupMetrics metrics, Scheduler scheduler, AlertService alerts,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.records = records;
        this.json = json;
        this.alerts = alerts;
        this.targets = targets;
        this.engine = engine;
        this.locks = locks;
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.orphans = new OrphanReaper<>("backup",
                () -> QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>list("phase in ?1", BackupPhase.OPEN)),
                orphan -> locks.tryLock(orphan.target), this::settle);
    }

    /** What a backup request asks for. */
    public record Request(String target, BackupKind kind, String reason, DumpFormat format, Compression compression,
            int jobs) {
    }

    /**
     * Accepts a backup: PENDING now, run in the background. Refused with 409 while another backup of
     * the same target is pending or running, on any replica.
     */
    public Backup request(Request request, String requestedBy) {
        if (!targets.exists(request.target())) {
            throw ProblemException.badRequest("Unknown target '" + request.target() + "'. Configured targets: "
                    + String.join(", ", targets.names()) + ".");
        }
        Target target = targets.get(request.target());
        AdvisoryLocks.Held lock = locks.tryLock(target.name());
        if (lock == null) {
            throw busy(target.name());
        }
        try {
            Backup backup = QuarkusTransaction.requiringNew().call(() -> {
                Backup b = new Backup();
                b.id = UUID.randomUUID();
                b.target = target.name();
                b.kind = request.kind();
                b.format = request.format();
                b.compression = request.compression();
                b.jobs = request.jobs();
                b.reason = request.reason();
                b.requestedBy = requestedBy;
                b.phase = BackupPhase.PENDING;
                b.createdAt = records.now();
                b.persist();
                return b;
            });
            workers.execute(() -> {
                try (lock) {
                    engine.run(backup.id);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Backup %s could not be run", backup.id);
                }
                // Say at once what the outcome changes (a failure alerts, a success may end an alert).
                alerts.check(backup.target);
            });
            LOG.infof("Backup %s of %s accepted (%s) for %s", backup.id, target.name(), backup.kind.code(), requestedBy);
            return backup;
        } catch (RejectedExecutionException e) {
            lock.close();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "backup-service is shutting down; retry on another replica.");
        } catch (RuntimeException e) {
            lock.close();
            if (SqlErrors.isUniqueViolation(e)) {
                throw busy(target.name());
            }
            throw e;
        }
    }

    private ProblemException busy(String target) {
        Optional<Backup> active = Optional.empty();
        // The holder of the lock writes its PENDING row a moment after taking it: look for a little while.
        for (int attempt = 0; attempt < 20 && active.isEmpty(); attempt++) {
            active = QuarkusTransaction.requiringNew().call(
                    () -> Backup.<Backup>find("target = ?1 and phase in ?2", Sort.descending("createdAt"), target,
                            BackupPhase.OPEN).firstResultOptional());
            if (active.isEmpty()) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return ProblemException.conflict("A backup of target '" + target + "' is already "
                + active.map(b -> b.phase + ": " + b.id + " (GET /api/v1/backups/" + b.id + ")").orElse("running")
                + ". Wait for it to finish before asking for another.");
    }


    public Backup get(UUID id) {
        return Backup.<Backup>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("backup", id));
    }

    /** Filters of {@link #list}; null means any. */
    public record Query(String target, BackupPhase phase, BackupKind kind, Instant since, Instant before) {
    }

    public PageOf<Backup> list(Query query, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (query.target() != null) {
            where.add("target = :target");
            params.and("target", query.target());
        }
        if (query.phase() != null) {
            where.add("phase = :phase");
            params.and("phase", query.phase());
        }
        if (query.kind() != null) {
            where.add("kind = :kind");
            params.and("kind", query.kind());
        }
        if (query.since() != null) {
            where.add("createdAt >= :since");
            params.and("since", query.since());
        }
        if (query.before() != null) {
            // The data of a backup is as of its snapshot, taken when it started.
            where.add("startedAt < :before");
            params.and("before", query.before());
        }
        Sort newestFirst = query.before() != null ? Sort.descending("startedAt").and("id")
                : Sort.descending("createdAt").and("id");
        var found = where.isEmpty() ? Backup.<Backup>findAll(newestFirst)
                : Backup.<Backup>find(String.join(" and ", where), newestFirst, params);
        return new PageOf<>(found.page(page, size).list(), page, size, found.count());
    }

    /** The newest SUCCEEDED backup of {@code target}. */
    public Optional<Backup> lastGood(String target) {
        return Backup.<Backup>find("target = ?1 and phase = ?2", Sort.descending("startedAt"), target,
                BackupPhase.SUCCEEDED).firstResultOptional();
    }

    /** A short-lived URL to download a SUCCEEDED backup's object. */
    public String downloadUrl(UUID id) {
        Backup backup = get(id);
        if (backup.phase != BackupPhase.SUCCEEDED) {
            throw ProblemException.conflict("Backup " + id + " is " + backup.phase + "; only SUCCEEDED backups can be downloaded.");
        }
        return store.presignedDownload(backup.objectKey, settings.storage().downloadUrlLifetime());
    }

    /**
     * Backups PENDING or RUNNING whose target lock nobody holds were left by a process that died:
     * they are settled from the bucket's truth ({@link OrphanReaper}; see {@link #settle}). Failed
     * backups whose upload could not be aborted are aborted now, and uploads nobody owns.
     */
    @Scheduled(every = "${backup.reaper.every:60s}", delayed = "${backup.reaper.delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void reap() {
        orphans.reap();
        List<Backup> unaborted = QuarkusTransaction.requiringNew().call(
                () -> Backup.<Backup>list("phase = ?1 and uploadId is not null", BackupPhase.FAILED));
        for (Backup b : unaborted) {
            if (store.abort(b.objectKey, b.uploadId)) {
                records.recordUploadAborted(b.id);
                LOG.infof("Aborted the leftover upload of failed backup %s", b.id);
            }
        }
        sweepUploads();
    }

    /**
     * Settles a backup whose process died, from the bucket's truth first: the process may have died
     * after its upload, or after its manifest.
     */
    private void settle(Backup orphan) {
        BucketTruth truth;
        try {
            truth = bucketTruth(orphan);
        } catch (RuntimeException e) {
            LOG.warnf("Backup %s of %s was left %s by a stopped process; S3 could not be asked what it holds "
                    + "(%s): settled on a later round", orphan.id, orphan.target, orphan.phase, e.getClass().getSimpleName());
            return;
        }
        if (truth.manifest() != null) {
            Backup recovered = records.recoverFromManifest(orphan.id, truth.manifest(), orphan.manifestKey,
                    "Recovered after a crash: the process stopped after the object and its manifest were "
                            + "complete in the bucket (" + truth.objectBytes() + " bytes, as the manifest says).");
            if (recovered != null) {
                metrics.track(recovered.target, recovered.startedAt.getEpochSecond());
                LOG.warnf("Backup %s of %s was left %s by a stopped process after its manifest was written: "
                        + "SUCCEEDED from the bucket's manifest", orphan.id, orphan.target, orphan.phase);
            }
            return;
        }
        if (truth.objectBytes() >= 0) {
            // Complete, but nothing vouches for it (no manifest, no checksum on record): not kept.
            store.delete(orphan.objectKey);
        }
        boolean aborted = orphan.uploadId == null || store.abort(orphan.objectKey, orphan.uploadId);
        Backup failed = truth.objectBytes() >= 0
                ? records.failInterrupted(orphan.id, "Interrupted: the backup-service process running this "
                        + "backup stopped after its upload completed but before its manifest was written. Without "
                        + "a manifest nothing vouches for the object, so it was deleted; take a new backup.",
                        "Its object (" + truth.objectBytes() + " bytes, no manifest) was deleted from the bucket.",
                        aborted)
                : records.failInterrupted(orphan.id, "Interrupted: the backup-service process running this "
                        + "backup stopped before it finished. Nothing was kept; take a new backup.", null, aborted);
        if (failed != null) {
            LOG.warnf("Backup %s of %s was left %s by a stopped process: marked FAILED", orphan.id,
                    orphan.target, orphan.phase);
        }
    }

    /** What the bucket holds of a backup whose process died: its object's size (-1: none) and a manifest naming it. */
    record BucketTruth(long objectBytes, BackupManifest manifest) {
    }

    /**
     * Reads the bucket's truth of {@code orphan}: a manifest counts only if it names this backup and
     * the object beside it has the size it records (the manifest is written after the upload
     * completed, with that size and the checksum taken while streaming).
     */
    BucketTruth bucketTruth(Backup orphan) {
        if (orphan.objectKey == null) {
            return new BucketTruth(-1, null);
        }
        java.util.OptionalLong size = store.size(orphan.objectKey);
        if (size.isEmpty()) {
            return new BucketTruth(-1, null);
        }
        if (orphan.manifestKey != null && store.exists(orphan.manifestKey)) {
            try {
                BackupManifest manifest = json.readValue(store.get(orphan.manifestKey), BackupManifest.class);
                if (orphan.id.equals(manifest.backupId()) && orphan.objectKey.equals(manifest.objectKey())
                        && manifest.sizeBytes() == size.getAsLong() && manifest.sha256() != null) {
                    return new BucketTruth(size.getAsLong(), manifest);
                }
            } catch (java.io.IOException e) {
                LOG.warnf("The manifest %s of interrupted backup %s cannot be read: the backup is not recovered",
                        orphan.manifestKey, orphan.id);
            }
        }
        return new BucketTruth(size.getAsLong(), null);
    }

    /**
     * Aborts the multipart uploads under the backup prefix that no open backup owns: a process that
     * died between starting an upload and recording its id leaves one that nothing else would ever
     * abort. The uploads are listed before the catalog is read, and a backup records its key before
     * it starts its upload, so an upload of a backup running now is always recognised as owned.
     */
    void sweepUploads() {
        List<BackupStore.OpenUpload> open = store.openUploads(BackupLayout.ROOT);
        if (open.isEmpty()) {
            return;
        }
        Set<String> owned = Set.copyOf(QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>list(
                "phase in ?1 and objectKey is not null", BackupPhase.OPEN)
                .stream().map(b -> b.objectKey).toList()));
        for (BackupStore.OpenUpload upload : open) {
            if (!owned.contains(upload.key()) && store.abort(upload.key(), upload.uploadId())) {
                metrics.orphanUploadAborted();
                LOG.warnf("Aborted an orphan multipart upload of %s (started %s) that no running backup owns",
                        upload.key(), upload.initiated());
            }
        }
    }

    void onStart(@Observes StartupEvent start) {
        for (Target target : targets.all()) {
            Long last = QuarkusTransaction.requiringNew().call(
                    () -> lastGood(target.name()).map(b -> b.startedAt.getEpochSecond()).orElse(null));
            metrics.track(target.name(), last);
        }
        OrphanReaper.atStartup("backup", this::reap);
        if (!settings.schedule().enabled()) {
            LOG.info("Scheduled backups are off (backup.schedule.enabled=false): CronJobs trigger them");
            return;
        }
        for (Target target : targets.all()) {
            String cron = settings.targets().get(target.name()).schedule().orElse(settings.schedule().cron());
            scheduler.newJob("backup-" + target.name())
                    .setCron(cron)
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> scheduled(target.name()))
                    .schedule();
            LOG.infof("Automatic backups of %s on cron '%s'", target.name(), cron);
        }
    }

    private void scheduled(String target) {
        try {
            request(new Request(target, BackupKind.AUTOMATIC, "schedule", DumpFormat.PLAIN, Compression.GZIP, 1),
                    "scheduler");
        } catch (ProblemException e) {
            LOG.warnf("Scheduled backup of %s skipped: %s", target, e.detail());
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        workers.shutdownNow();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
