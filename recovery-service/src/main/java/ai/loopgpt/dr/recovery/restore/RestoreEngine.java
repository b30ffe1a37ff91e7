package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.process.PhaseTimer;
import ai.loopgpt.dr.recovery.client.BackupClient;
import ai.loopgpt.dr.recovery.client.BackupDto;
import ai.loopgpt.dr.recovery.client.StreamPlanDto;
import ai.loopgpt.dr.recovery.restore.load.ChangeReplay;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.config.RecoverySettings.Destination;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs one restore. The backup is always restored into a staging database first, with its SHA-256
 * checked on the way and its row counts compared with the manifest afterwards; only a verified
 * staging database becomes the result (new-database) or replaces the destination (in-place, after
 * a safety backup). A checksum mismatch or a count difference therefore never touches the
 * destination: the staging database is dropped and the restore ends FAILED, saying why. The load
 * itself is {@link StagingLoader}'s; what the row says at each step is written by {@link RestoreRecords}.
 */
@ApplicationScoped
public class RestoreEngine {

    private static final Logger LOG = Logger.getLogger(RestoreEngine.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final RecoverySettings settings;
    private final BackupClient backups;
    private final StagingLoader loader;
    private final RestoreRecords records;

    public RestoreEngine(RecoverySettings settings, BackupClient backups, StagingLoader loader, RestoreRecords records) {
        this.settings = settings;
        this.backups = backups;
        this.loader = loader;
        this.records = records;
    }

    /** A failure with a reason for humans. */
    public static final class RestoreFailure extends Exception {
        public RestoreFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Runs the PENDING restore {@code id} while the caller holds its {@code ownership} lock: {@code backup},
     * then, for a restore to a time, the change segments of {@code plan} after it. Every outcome is
     * written to the restore; nothing is thrown.
     */
    public void run(UUID id, BackupDto backup, StreamPlanDto plan, AdvisoryLocks.Held ownership) {
        Restore started = records.markRunning(id);
        Destination destination = settings.destinations().get(started.destination);
        boolean inPlace = "in-place".equals(started.mode);
        // Where the time goes: the phases add up to the restore's wall time (API: phases).
        PhaseTimer timer = new PhaseTimer();
        String phase = inPlace ? "safety-backup" : "prepare";
        String staging = null;
        boolean swapping = false;
        try {
            if (inPlace) {
                records.markSafetyBackup(id);
                Failpoints.pause("restore.safety-backup");
                records.recordSafetyBackup(id, safetyBackup(started, backup));
                timer.end(phase);
                phase = "prepare";
            }
            // The name is recorded before the database exists, so that a crash in between leaves nothing unknown.
            String stagingName = destination.database() + "_restore_" + STAMP.format(started.startedAt) + "_"
                    + id.toString().substring(0, 8);
            records.markStaging(id, stagingName);
            staging = stagingName;
            // Restored objects belong to whoever owns the destination, so that its application can use them.
            String owner = DatabaseAdmin.owner(destination, destination.database()).orElse(destination.user());
            DatabaseAdmin.create(destination, staging, owner);
            timer.end(phase);
            phase = "load";
            Failpoints.pause("restore.restoring");
            // The load ends its own phases: schema, data, indexes, foreign-keys and post-data as a
            // script loads; download and load where pg_restore reads an archive from disk.
            Map<String, Long> loaded = loader.load(backup, destination, staging, owner,
                    new RestoreProgress(records, id), timer);

            phase = "verify";
            records.markVerifying(id);
            Failpoints.pause("restore.verifying");
            verifyRowCounts(id, backup, destination, staging, loaded);
            timer.end(phase);
            if (plan != null) {
                phase = "replay";
                replay(id, plan, backup, destination, staging, owner);
                timer.end(phase);
            }

            if ("drill".equals(started.mode)) {
                // Verified: the drill has its evidence; the copy goes.
                phase = "drop-scratch";
                DatabaseAdmin.drop(destination, staging);
                records.recordScratchDropped(id);
                timer.end(phase);
                records.succeed(id, null, null, timer.phases());
                return;
            }
            if (!inPlace) {
                records.succeed(id, staging, null, timer.phases());
                return;
            }
            phase = "swap";
            String replaced = DatabaseAdmin.exists(destination, destination.database())
                    ? destination.database() + "_replaced_" + STAMP.format(started.startedAt) : null;
            if (!ownership.valid()) {
                throw new RestoreFailure("This replica lost its claim on the restore (its connection to the service "
                        + "database dropped) before the swap; the destination was not replaced.");
            }
            // The intent: after a crash from here on, the databases themselves say whether the swap committed.
            records.markSwapping(id, replaced);
            swapping = true;
            DatabaseSwap.swap(destination, staging, replaced, settings.swapGrace());
            Failpoints.pause("restore.swap.after-commit");
            timer.end(phase);
            records.succeed(id, destination.database(), replaced, timer.phases());
        } catch (Exception e) {
            String reason = e instanceof RestoreFailure ? e.getMessage()
                    : e instanceof ai.loopgpt.dr.common.problem.ProblemException p ? p.detail()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                reason = "Interrupted: recovery-service is shutting down.";
            }
            if (swapping) {
                try {
                    if (DatabaseSwap.inspect(destination, staging) == DatabaseSwap.Outcome.SWAPPED) {
                        // The renames committed before the failure: the restore is done, whatever came after.
                        timer.end(phase);
                        records.succeed(id, destination.database(), records.get(id).replacedDatabase, timer.phases());
                        return;
                    }
                } catch (Exception unknown) {
                    // The server cannot say: leave the restore to the reaper, which asks again.
                    LOG.warnf("Restore %s: could not tell whether the swap committed (%s); the reaper will settle it",
                            id, unknown.getMessage());
                    return;
                }
            }
            if (staging != null) {
                try {
                    DatabaseAdmin.drop(destination, staging);
                    if ("drill".equals(started.mode)) {
                        records.recordScratchDropped(id);
                    }
                } catch (Exception dropFailure) {
                    reason += " (the staging database " + staging + " could not be dropped: " + dropFailure.getMessage() + ")";
                }
            }
            timer.end(phase);
            records.fail(id, scrub(reason, destination), timer.phases());
        }
    }

    /**
     * Compares the manifest's row counts with the restored copy's: those the server reported while
     * loading ({@code loaded}, from COPY tags); for other tables the rows the server counted
     * inserting (its statistics: what pg_restore loaded), and a count of the rows of any table
     * where those do not match.
     */
    private void verifyRowCounts(UUID id, BackupDto backup, Destination destination, String staging,
            Map<String, Long> loaded) throws SQLException, InterruptedException, RestoreFailure {
        Map<String, Long> found = new java.util.HashMap<>();
        java.util.Set<String> toCount = new java.util.TreeSet<>();
        backup.tableRows().keySet().forEach(table -> {
            if (loaded.containsKey(table)) {
                found.put(table, loaded.get(table));
            } else {
                toCount.add(table);
            }
        });
        if (!toCount.isEmpty()) {
            // The staging database is new: every row in it was inserted by this restore.
            Map<String, Long> inserted = DatabaseAdmin.insertedRows(destination, staging);
            toCount.removeIf(table -> {
                boolean matches = backup.tableRows().get(table).equals(inserted.get(table));
                if (matches) {
                    found.put(table, inserted.get(table));
                }
                return matches;
            });
        }
        if (!toCount.isEmpty()) {
            found.putAll(DatabaseAdmin.rowCounts(destination, staging, toCount));
        }
        List<String> differences = RowCountCheck.differences(backup.tableRows(), found);
        records.recordVerification(id, backup.tableRows().size() - differences.size(), new java.util.TreeMap<>(found));
        if (!differences.isEmpty()) {
            throw new RestoreFailure("Row counts differ from the manifest in " + String.join(", ", differences)
                    + ". The restored copy was discarded.");
        }
    }

    /**
     * Replays the plan's change segments onto the verified base, up to the time asked for; the record
     * states the exact point reached (commit time and LSN of the last transaction applied).
     */
    private void replay(UUID id, StreamPlanDto plan, BackupDto base, Destination destination, String staging,
            String owner) throws Exception {
        records.markReplaying(id);
        Failpoints.pause("restore.replaying");
        List<ChangeReplay.Segment> segments = plan.segments().stream().map(s -> new ChangeReplay.Segment(s.objectKey(),
                s.sha256(), ChangeSegmentFormat.parseLsn(s.firstLsn()), ChangeSegmentFormat.parseLsn(s.lastLsn()), s.transactions()))
                .toList();
        ChangeReplay.Reached reached;
        try {
            reached = loader.replay(segments, plan.toTime(), base.bucket(), destination, staging, owner, applied -> { });
        } catch (ChangeReplay.ReplayFailure e) {
            throw new RestoreFailure(e.getMessage());
        }
        // Nothing committed between the base's snapshot and the time: the base alone is the point reached.
        records.recordReplay(id, reached.segments(), reached.transactions(), reached.commitTime(),
                reached.transactions() > 0 ? ChangeSegmentFormat.lsn(reached.lsn()) : null);
        LOG.infof("Restore %s: %d transactions of %d change segments replayed, up to the one committed at %s (%s)",
                id, reached.transactions(), reached.segments(), reached.commitTime(), ChangeSegmentFormat.lsn(reached.lsn()));
    }

    private UUID safetyBackup(Restore restore, BackupDto restoring) throws Exception {
        BackupDto safety = backups.requestBackup(restore.destination, "pre-change",
                "Safety backup before in-place restore " + restore.id + " of backup " + restoring.id());
        long deadline = System.nanoTime() + settings.safetyBackupTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            BackupDto now = backups.backup(safety.id()).orElseThrow(
                    () -> new RestoreFailure("The safety backup " + safety.id() + " vanished from backup-service."));
            if (now.succeeded()) {
                return now.id();
            }
            if (now.failed()) {
                throw new RestoreFailure("The safety backup " + safety.id() + " failed, so the destination was not touched: "
                        + now.failureReason());
            }
            Thread.sleep(500);
        }
        throw new RestoreFailure("The safety backup " + safety.id() + " did not finish within "
                + settings.safetyBackupTimeout() + "; the destination was not touched.");
    }

    static String scrub(String message, Destination destination) {
        return destination.password().filter(p -> !p.isEmpty()).map(p -> message.replace(p, "****")).orElse(message);
    }
}
