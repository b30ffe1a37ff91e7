package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.recovery.metrics.RecoveryMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What a restore writes to its row, one named transition each, every one in its own transaction:
 * the row always says how far the restore got (and, before a database is created or renamed, what
 * it is about to be called), so that the reaper can settle it from the databases after a crash.
 */
@ApplicationScoped
public class RestoreRecords {

    private static final Logger LOG = Logger.getLogger(RestoreRecords.class);

    private final RecoveryMetrics metrics;
    private final Clock clock;

    public RestoreRecords(RecoveryMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Now, as the rows store it. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public Restore get(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Restore.<Restore>findById(id));
    }

    /** PENDING → RUNNING. */
    public Restore markRunning(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Restore r = Restore.findById(id);
            r.moveTo(JobPhase.RUNNING, now());
            return r;
        });
    }

    /** In place: the safety backup of the destination is being taken. */
    public void markSafetyBackup(UUID id) {
        update(id, r -> r.step = "safety-backup");
    }

    /** The safety backup that holds the destination's data from before the restore. */
    public void recordSafetyBackup(UUID id, UUID safetyBackupId) {
        update(id, r -> r.safetyBackupId = safetyBackupId);
    }

    /** The staging database, named before it exists so that a crash in between leaves nothing unknown. */
    public void markStaging(UUID id, String stagingDatabase) {
        update(id, r -> {
            r.stagingDatabase = stagingDatabase;
            r.step = "restoring";
        });
    }

    /** The bytes of the object read and the tables loaded so far. */
    public void recordProgress(UUID id, long bytesRead, int tablesRestored) {
        update(id, r -> {
            r.bytesRead = bytesRead;
            r.tablesRestored = tablesRestored;
        });
    }

    /** The restored copy's row counts are being compared with the manifest's. */
    public void markVerifying(UUID id) {
        update(id, r -> r.step = "verifying");
    }

    /** The rows per table counted in the restored copy, {@code verified} of them as the manifest says. */
    public void recordVerification(UUID id, int verified, Map<String, Long> counted) {
        update(id, r -> {
            r.tablesVerified = verified;
            r.tableRows = counted;
        });
    }

    /** The base is verified; the change segments after it are being replayed (a restore to a time). */
    public void markReplaying(UUID id) {
        update(id, r -> r.step = "replaying");
    }

    /** How far a restore to a time got: the segments and transactions applied, and the last one's commit. */
    public void recordReplay(UUID id, int segments, long transactions, Instant commitTime, String lsn) {
        update(id, r -> {
            r.segmentsApplied = segments;
            r.transactionsApplied = transactions;
            r.reachedCommitTime = commitTime;
            r.reachedLsn = lsn;
        });
    }

    /** A drill's copy in the scratch destination was dropped. */
    public void recordScratchDropped(UUID id) {
        Instant dropped = now();
        update(id, r -> r.scratchDroppedAt = dropped);
    }

    /**
     * The intent to swap, {@code replaced} naming what the destination will be kept as: after a
     * crash from here on, the databases themselves say whether the swap committed.
     */
    public void markSwapping(UUID id, String replaced) {
        update(id, r -> {
            r.step = "swapping";
            r.replacedDatabase = replaced;
        });
    }

    /** The database an in-place restore replaced was dropped. */
    public Restore recordReplacedDropped(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Restore r = Restore.findById(id);
            r.replacedDroppedAt = now();
            return r;
        });
    }

    /**
     * → SUCCEEDED: {@code restored} holds the backup, {@code replaced} the destination's old data;
     * {@code phases} (if known) where the time went.
     */
    public Restore succeed(UUID id, String restored, String replaced, Map<String, Long> phases) {
        Restore done = QuarkusTransaction.requiringNew().call(() -> {
            Restore r = Restore.findById(id);
            if (phases != null) {
                r.phaseMillis = phases;
            }
            r.restoredDatabase = restored;
            r.replacedDatabase = replaced;
            r.stagingDatabase = null;
            r.moveTo(JobPhase.SUCCEEDED, now());
            return r;
        });
        measure(done);
        LOG.infof("Restore %s of backup %s into %s succeeded in %s", id, done.backupId, restored,
                Duration.between(done.startedAt, done.finishedAt));
        return done;
    }

    /** → FAILED for {@code reason}: the destination holds its original data. */
    public Restore fail(UUID id, String reason, Map<String, Long> phases) {
        Restore failed = QuarkusTransaction.requiringNew().call(() -> {
            Restore r = Restore.findById(id);
            if (phases != null) {
                r.phaseMillis = phases;
            }
            r.replacedDatabase = null;
            r.failureReason = reason;
            r.moveTo(JobPhase.FAILED, now());
            return r;
        });
        measure(failed);
        LOG.warnf("Restore %s of backup %s failed: %s", id, failed.backupId, reason);
        return failed;
    }

    private void update(UUID id, Consumer<Restore> change) {
        QuarkusTransaction.requiringNew().run(() -> change.accept(Restore.<Restore>findById(id)));
    }

    private void measure(Restore r) {
        metrics.restoreFinished(r.destination, r.mode, r.phase == JobPhase.SUCCEEDED,
                Duration.between(r.startedAt, r.finishedAt));
    }
}
