package ai.loopgpt.dr.backup.drill;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.alert.AlertService;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.service.BackupMetrics;
import ai.loopgpt.dr.backup.service.BackupService;
import ai.loopgpt.dr.backup.service.TargetService;
import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.OrphanReaper;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.web.PageOf;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Runs drills: integrity verifications here, restore drills through recovery-service into its
 * scratch destination. Each is owned by an advisory lock while it runs; one whose replica died ends
 * FAILED ("interrupted"). Scheduled per target (weekly and monthly by default) unless CronJobs start them.
 */
@ApplicationScoped
public class DrillService {

    private static final Logger LOG = Logger.getLogger(DrillService.class);
    /** The lock space of drills ("DRD1"). */
    private static final int SPACE = 0x44524431;

    private final BackupService backups;
    private final TargetService targets;
    private final IntegrityVerifier verifier;
    private final RecoveryClient recovery;
    private final AdvisoryLocks locks;
    private final BackupSettings settings;
    private final BackupMetrics metrics;
    private final Scheduler scheduler;
    private final Clock clock;
    private final AlertService alerts;
    /** Drills left open by a replica that died: they end FAILED. */
    private final OrphanReaper<Drill> orphans;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "drill-worker");
        t.setDaemon(true);
        return t;
    });

    public DrillService(BackupService backups, TargetService targets, IntegrityVerifier verifier, RecoveryClient recovery,
            AdvisoryLocks locks, BackupSettings settings, BackupMetrics metrics, Scheduler scheduler, Clock clock,
            AlertService alerts) {
        this.alerts = alerts;
        this.backups = backups;
        this.targets = targets;
        this.verifier = verifier;
        this.recovery = recovery;
        this.locks = locks;
        this.settings = settings;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.clock = clock;
        this.orphans = new OrphanReaper<>("drill",
                () -> QuarkusTransaction.requiringNew().call(() -> Drill.<Drill>list("phase in ?1", JobPhase.OPEN)),
                d -> locks.tryLock(SPACE, d.id.toString()),
                d -> finish(d.id, false, "Interrupted: the backup-service process running this drill stopped before it "
                        + "finished" + (d.restoreId != null ? " (recovery-service's restore " + d.restoreId
                                + " drops its scratch copy by itself)" : "") + ". Run the drill again.", d.evidence, null));
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Accepts a drill of {@code backupId}, or of the target's newest good backup: PENDING now, run in the background. */
    public Drill request(Drill.Type type, String target, UUID backupId, String by) {
        if (!targets.exists(target)) {
            throw ProblemException.badRequest("Unknown target '" + target + "'. Configured targets: "
                    + String.join(", ", targets.names()) + ".");
        }
        Backup backup = QuarkusTransaction.requiringNew().call(() -> backupId != null
                ? Backup.<Backup>findByIdOptional(backupId).orElseThrow(() -> ProblemException.notFound("backup", backupId))
                : backups.lastGood(target).orElseThrow(() -> ProblemException.conflict("Target '" + target
                        + "' has no good backup to drill; take one first.")));
        if (!backup.target.equals(target)) {
            throw ProblemException.badRequest("Backup " + backup.id + " is of target '" + backup.target + "', not '"
                    + target + "'.");
        }
        if (backup.phase != BackupPhase.SUCCEEDED) {
            throw ProblemException.conflict("Backup " + backup.id + " is " + backup.phase
                    + "; only a SUCCEEDED backup can be drilled.");
        }
        if (type == Drill.Type.restore && settings.drills().recoveryUrl().isEmpty()) {
            throw ProblemException.conflict("Restore drills need recovery-service: set backup.drills.recovery-url and "
                    + "backup.drills.recovery-token.");
        }
        UUID id = UUID.randomUUID();
        // Owned from before the row exists: the reaper never takes a drill a live replica is starting.
        AdvisoryLocks.Held ownership = locks.tryLock(SPACE, id.toString());
        Drill drill = QuarkusTransaction.requiringNew().call(() -> {
            Drill d = new Drill();
            d.id = id;
            d.type = type;
            d.target = target;
            d.backupId = backup.id;
            d.phase = JobPhase.PENDING;
            d.requestedBy = by;
            d.createdAt = now();
            d.persist();
            return d;
        });
        try {
            workers.execute(() -> {
                try (ownership) {
                    run(id);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Drill %s could not be run to its end", id);
                    finish(id, false, "Internal error: " + e.getClass().getSimpleName(), null, null);
                }
                alerts.check(target);
            });
        } catch (RejectedExecutionException e) {
            ownership.close();
            finish(id, false, "backup-service was shutting down when the drill was accepted; run it again.", null, null);
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "backup-service is shutting down; retry.");
        }
        LOG.infof("Drill %s (%s) of backup %s of %s accepted for %s", id, type, backup.id, target, by);
        return drill;
    }

    void run(UUID id) {
        Drill drill = QuarkusTransaction.requiringNew().call(() -> {
            Drill d = Drill.findById(id);
            d.moveTo(JobPhase.RUNNING, now());
            return d;
        });
        Backup backup = QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>findById(drill.backupId));
        if (drill.type == Drill.Type.integrity) {
            Failpoints.pause("drill.verifying");
            IntegrityVerifier.Outcome outcome = verifier.verify(backup);
            Instant at = now();
            QuarkusTransaction.requiringNew().run(() -> {
                Backup b = Backup.findById(backup.id);
                b.lastVerifiedAt = at;
                b.verificationResult = outcome.passed() ? "PASSED" : "FAILED";
                b.verificationReason = outcome.reason();
            });
            finish(id, outcome.passed(), outcome.reason(), outcome.evidence(), null);
            if (!outcome.passed()) {
                LOG.warnf("Integrity verification of backup %s of %s FAILED: %s", backup.id, backup.target, outcome.reason());
            }
            return;
        }
        restoreDrill(id, backup);
    }

    private void restoreDrill(UUID id, Backup backup) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("backupId", backup.id.toString());
        evidence.put("backupTakenAt", String.valueOf(backup.startedAt));
        evidence.put("scratchDestination", settings.drills().scratchDestination());
        evidence.put("expectedRows", backup.tableRows);
        try {
            UUID restoreId = recovery.startDrill(backup.id);
            QuarkusTransaction.requiringNew().run(() -> Drill.<Drill>findById(id).restoreId = restoreId);
            Failpoints.pause("drill.restoring");
            evidence.put("restoreId", restoreId.toString());
            long deadline = System.nanoTime() + settings.drills().restoreTimeout().toNanos();
            JsonNode restore = recovery.restore(restoreId);
            while (!List.of("SUCCEEDED", "FAILED").contains(restore.path("phase").asText())) {
                if (System.nanoTime() > deadline) {
                    finish(id, false, "The restore " + restoreId + " did not finish within backup.drills.restore-timeout ("
                            + settings.drills().restoreTimeout() + "); it may still be running in recovery-service.",
                            evidence, null);
                    return;
                }
                Thread.sleep(1000);
                restore = recovery.restore(restoreId);
            }
            JsonNode progress = restore.path("progress");
            evidence.put("bytesRead", progress.path("bytesRead").asLong());
            evidence.put("tablesRestored", progress.path("tablesRestored").asInt());
            evidence.put("tablesVerified", progress.path("tablesVerified").asInt());
            evidence.put("scratchDroppedAt", restore.path("scratchDroppedAt").isNull() ? null
                    : restore.path("scratchDroppedAt").asText(null));
            Long millis = restore.hasNonNull("durationMillis") ? restore.get("durationMillis").asLong() : null;
            evidence.put("restoreDurationMillis", millis);
            evidence.put("rtoObjectiveSeconds", settings.drills().rto().toSeconds());
            boolean passed = "SUCCEEDED".equals(restore.path("phase").asText());
            // Only a restore that worked measures the RTO.
            Long rto = millis == null || !passed ? null : Math.max(1, Math.round(millis / 1000.0));
            if (rto != null) {
                evidence.put("withinRto", rto <= settings.drills().rto().toSeconds());
            }
            finish(id, passed, passed ? null : "The test restore failed in recovery-service: "
                    + restore.path("failureReason").asText("no reason given"), evidence, rto);
        } catch (RecoveryClient.RecoveryFailure e) {
            finish(id, false, e.getMessage(), evidence, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(id, false, "Interrupted: backup-service is shutting down.", evidence, null);
        }
    }

    void finish(UUID id, boolean passed, String reason, Map<String, Object> evidence, Long rtoSeconds) {
        Drill done = QuarkusTransaction.requiringNew().call(() -> {
            Drill d = Drill.findById(id);
            if (d.phase.isFinal()) {
                return null;
            }
            d.moveTo(passed ? JobPhase.SUCCEEDED : JobPhase.FAILED, now());
            d.failureReason = passed ? null : reason;
            if (evidence != null) {
                d.evidence = new LinkedHashMap<>(evidence);
            }
            d.rtoSeconds = rtoSeconds;
            return d;
        });
        if (done == null) {
            return;
        }
        metrics.drillFinished(done.type.name(), done.target, passed,
                Duration.between(done.startedAt != null ? done.startedAt : done.createdAt, done.finishedAt));
        LOG.infof("Drill %s (%s) of %s %s%s", id, done.type, done.target, done.phase,
                passed ? "" : ": " + reason);
    }

    public Drill get(UUID id) {
        return Drill.<Drill>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("drill", id));
    }

    public PageOf<Drill> list(String target, Drill.Type type, Instant since, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (target != null) {
            where.add("target = :target");
            params.and("target", target);
        }
        if (type != null) {
            where.add("type = :type");
            params.and("type", type);
        }
        if (since != null) {
            where.add("createdAt >= :since");
            params.and("since", since);
        }
        Sort newestFirst = Sort.descending("createdAt").and("id");
        var found = where.isEmpty() ? Drill.<Drill>findAll(newestFirst)
                : Drill.<Drill>find(String.join(" and ", where), newestFirst, params);
        return new PageOf<>(found.page(page, size).list(), page, size, found.count());
    }

    /** Drills left PENDING or RUNNING by a replica that died (nobody holds their lock) end FAILED. */
    @Scheduled(every = "${backup.reaper.every:60s}", delayed = "${backup.reaper.delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        orphans.reap();
    }

    void onStart(@Observes StartupEvent start) {
        OrphanReaper.atStartup("drill", this::reap);
        if (!settings.drills().scheduleEnabled()) {
            LOG.info("Scheduled drills are off (backup.drills.schedule-enabled=false): CronJobs start them");
            return;
        }
        schedule(Drill.Type.integrity, settings.drills().integrityCron());
        if (settings.drills().recoveryUrl().isPresent()) {
            schedule(Drill.Type.restore, settings.drills().restoreCron());
        } else {
            LOG.info("Scheduled restore drills are off: backup.drills.recovery-url is not set");
        }
    }

    private void schedule(Drill.Type type, String cron) {
        scheduler.newJob("drill-" + type).setCron(cron)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> scheduled(type))
                .schedule();
        LOG.infof("%s drills of every target on cron '%s'", type, cron);
    }

    private void scheduled(Drill.Type type) {
        for (String target : targets.names()) {
            // Every replica runs the schedule: the first one to get there drills, the others see it and skip.
            boolean recent = QuarkusTransaction.requiringNew().call(() -> Drill.count(
                    "target = ?1 and type = ?2 and createdAt > ?3", target, type, now().minus(Duration.ofHours(1))) > 0);
            if (recent) {
                continue;
            }
            try {
                request(type, target, null, "scheduler");
            } catch (ProblemException e) {
                LOG.warnf("Scheduled %s drill of %s skipped: %s", type, target, e.detail());
            }
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        workers.shutdownNow();
    }
}
