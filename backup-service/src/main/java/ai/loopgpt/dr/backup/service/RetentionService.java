package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.storage.BackupLayout;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.backup.stream.StreamChains;
import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.retry.Failures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Retention that deletes: backups past their expiry leave the bucket (object first, then manifest,
 * so that a crash between the two leaves a manifest the next sweep finishes) and stay in the catalog
 * as EXPIRED. Never deleted, whatever their age: a pinned backup, the newest good backup of each
 * target and the newest verified one.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);
    /** The lock space of the sweep ("DRR1"): one replica sweeps at a time. */
    private static final int SPACE = 0x44525231;

    private final BackupStore store;
    private final AdvisoryLocks locks;
    private final BackupMetrics metrics;
    private final Clock clock;
    private final StreamChains chains;

    public RetentionService(BackupStore store, AdvisoryLocks locks, BackupMetrics metrics, Clock clock, StreamChains chains) {
        this.chains = chains;
        this.store = store;
        this.locks = locks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What a sweep did: the backups deleted, those kept past their expiry (and why), those it could not delete. */
    public record Sweep(Instant at, List<UUID> expired, List<Kept> kept, List<String> failed) {
    }

    /** A backup past its expiry that stays, and why. */
    public record Kept(UUID id, String target, String why) {
    }

    /** Every backup.sweep.every (1h; "off" turns the schedule off: sweeps then run only on request). */
    @Scheduled(every = "${backup.sweep.every:1h}", delayed = "${backup.sweep.delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            sweep("retention");
        } catch (ProblemException busy) {
            LOG.debugf("Retention sweep skipped: %s", busy.detail());
        }
    }

    /** Deletes every expired backup that nothing protects. */
    public Sweep sweep(String by) {
        AdvisoryLocks.Held lock = locks.tryLock(SPACE, "sweep");
        if (lock == null) {
            throw ProblemException.conflict("A retention sweep is already running on another replica; retry in a minute.");
        }
        try (lock) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<Backup> due = QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>list(
                    "phase = ?1 and expiresAt <= ?2", Sort.ascending("expiresAt"), BackupPhase.SUCCEEDED, now));
            List<Kept> kept = new ArrayList<>();
            List<UUID> expired = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (Backup b : due) {
                Optional<String> why = protection(b);
                if (why.isPresent()) {
                    kept.add(new Kept(b.id, b.target, why.get()));
                    continue;
                }
                try {
                    expire(b.id, now, by, "expired " + b.expiresAt + " (" + b.retentionClass + " retention)");
                    expired.add(b.id);
                } catch (SdkException e) {
                    failed.add(b.id + ": " + Failures.describe(e));
                    LOG.warnf("Could not delete expired backup %s yet (%s); the next sweep tries again", b.id,
                            Failures.describe(e));
                }
            }
            metrics.expired(expired.size());
            if (!expired.isEmpty() || !failed.isEmpty()) {
                LOG.infof("Retention sweep: %d expired, %d kept past expiry, %d could not be deleted", expired.size(),
                        kept.size(), failed.size());
            }
            return new Sweep(now, expired, kept, failed);
        }
    }

    /** Why {@code b} may not be deleted now (empty when it may). */
    Optional<String> protection(Backup b) {
        if (b.pinnedAt != null) {
            return Optional.of("pinned by " + b.pinnedBy + ": " + b.pinReason);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Backup> newest = Backup.<Backup>find("target = ?1 and phase = ?2", Sort.descending("startedAt"),
                    b.target, BackupPhase.SUCCEEDED).firstResultOptional();
            if (newest.isPresent() && newest.get().id.equals(b.id)) {
                return Optional.of("the newest good backup of " + b.target);
            }
            Optional<Backup> verified = Backup.<Backup>find("target = ?1 and phase = ?2 and verificationResult = 'PASSED'",
                    Sort.descending("startedAt"), b.target, BackupPhase.SUCCEEDED).firstResultOptional();
            if (verified.isPresent() && verified.get().id.equals(b.id)) {
                return Optional.of("the newest verified backup of " + b.target);
            }
            return Optional.empty();
        });
    }

    /**
     * Deletes backup {@code id} early (dr-admin): refused for a pinned backup, the newest good or
     * newest verified one of its target, and anything not SUCCEEDED.
     */
    public Backup delete(UUID id, String by, String reason) {
        Backup b = QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("backup", id)));
        if (b.phase != BackupPhase.SUCCEEDED) {
            throw ProblemException.conflict("Backup " + id + " is " + b.phase + "; only a SUCCEEDED backup can be deleted.");
        }
        Optional<String> why = protection(b);
        if (why.isPresent()) {
            throw ProblemException.conflict("Backup " + id + " is kept: " + why.get()
                    + (b.pinnedAt != null ? ". Unpin it first (DELETE /api/v1/backups/" + id + "/pin)."
                            : ". Take a newer backup first."));
        }
        try {
            expire(id, clock.instant().truncatedTo(ChronoUnit.MICROS), by,
                    reason == null || reason.isBlank() ? "deleted early" : reason);
        } catch (SdkException e) {
            throw new ProblemException(ai.loopgpt.dr.common.problem.ProblemType.SERVICE_UNAVAILABLE,
                    "S3 failed while deleting the backup (" + Failures.describe(e) + "); it is still SUCCEEDED. Retry.");
        }
        metrics.expired(1);
        return QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>findById(id));
    }

    private void expire(UUID id, Instant now, String by, String reason) {
        Backup b = QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>findById(id));
        // A streamed target's change segments go with their base: the chain ends, then its objects go.
        if (chains.endIfActive(id, "base-deleted")) {
            LOG.infof("The change stream of %s after backup %s ends with its base", b.target, id);
        }
        for (String key : store.keys(BackupLayout.streamPrefix(b.target, id.toString()))) {
            store.delete(key);
        }
        if (b.objectKey != null) {
            store.delete(b.objectKey);
        }
        Failpoints.pause("retention.object-deleted");
        if (b.manifestKey != null) {
            store.delete(b.manifestKey);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Backup row = Backup.findById(id);
            if (row.phase == BackupPhase.SUCCEEDED) {
                row.moveTo(BackupPhase.EXPIRED, row.finishedAt);
                row.expiredAt = now;
                row.expiredBy = by;
                row.expiredReason = reason;
            }
        });
        LOG.infof("Backup %s of %s deleted from the bucket (%s, by %s)", id, b.target, reason, by);
    }

    /** Pins {@code id}: kept whatever its age until unpinned. */
    public Backup pin(UUID id, String by, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Backup b = Backup.<Backup>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("backup", id));
            if (b.phase != BackupPhase.SUCCEEDED) {
                throw ProblemException.conflict("Backup " + id + " is " + b.phase + "; only a SUCCEEDED backup can be pinned.");
            }
            b.pinnedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            b.pinnedBy = by;
            b.pinReason = reason;
            return b;
        });
    }

    /** Unpins {@code id}: retention applies again (at the next sweep, if it is past its expiry). */
    public Backup unpin(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Backup b = Backup.<Backup>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("backup", id));
            if (b.pinnedAt == null) {
                throw ProblemException.conflict("Backup " + id + " is not pinned.");
            }
            b.pinnedAt = null;
            b.pinnedBy = null;
            b.pinReason = null;
            return b;
        });
    }
}
