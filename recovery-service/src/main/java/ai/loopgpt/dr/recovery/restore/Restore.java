package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.JobRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One restore of a backup: its phase, current step, progress, timings and outcome (the RTO evidence). */
@Entity
@Table(name = "restore")
public class Restore extends JobRecord {

    @Column(name = "backup_id", nullable = false)
    public UUID backupId;

    @Column(nullable = false)
    public String target;

    @Column(nullable = false)
    public String destination;

    /** {@code new-database} or {@code in-place}. */
    @Column(nullable = false)
    public String mode;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public JobPhase phase;

    /** What it is doing now: safety-backup, restoring, verifying, replaying, swapping. */
    public String step;

    /** When the backup's snapshot was taken: the data-loss window is measured from it. */
    @Column(name = "backup_started_at")
    public Instant backupStartedAt;

    /** A restore to a time (streamed target): the time asked for; the base is {@link #backupId}. */
    @Column(name = "to_time")
    public Instant toTime;

    /** A restore to a time: the commit time of the last transaction applied (at or before {@link #toTime}). */
    @Column(name = "reached_commit_time")
    public Instant reachedCommitTime;

    /** A restore to a time: the commit LSN of the last transaction applied, as {@code 0/16B3748}. */
    @Column(name = "reached_lsn")
    public String reachedLsn;

    /** A restore to a time: the change segments replayed after the base, and their transactions applied. */
    @Column(name = "segments_applied")
    public Integer segmentsApplied;

    @Column(name = "transactions_applied")
    public Long transactionsApplied;

    @Column(name = "safety_backup_id")
    public UUID safetyBackupId;

    @Column(name = "staging_database")
    public String stagingDatabase;

    @Column(name = "restored_database")
    public String restoredDatabase;

    /** In place: the database that was replaced, kept under this name. */
    @Column(name = "replaced_database")
    public String replacedDatabase;

    /** When the replaced database was dropped (by an operator, or after recovery.replaced-retention). */
    @Column(name = "replaced_dropped_at")
    public Instant replacedDroppedAt;

    /** A drill's copy, dropped once verified (or failed). */
    @Column(name = "scratch_dropped_at")
    public Instant scratchDroppedAt;

    @Column(name = "bytes_read", nullable = false)
    public long bytesRead;

    @Column(name = "bytes_total")
    public Long bytesTotal;

    @Column(name = "tables_restored", nullable = false)
    public int tablesRestored;

    @Column(name = "tables_verified", nullable = false)
    public int tablesVerified;

    /** Rows per table counted in the restored copy at verification (equal to the manifest's when SUCCEEDED). */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    @Column(name = "table_rows")
    public java.util.Map<String, Long> tableRows;

    /** Milliseconds per phase (safety-backup, prepare, download, load, verify, swap, drop-scratch). */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    @Column(name = "phase_millis")
    public java.util.Map<String, Long> phaseMillis;

    /**
     * The one place a restore changes phase: a restore that ends has no current step left once it
     * succeeded, and one that ends before it started counts as started then.
     */
    public void moveTo(JobPhase next, Instant at) {
        stamp(phase, next, at);
        phase = next;
        if (next == JobPhase.SUCCEEDED) {
            step = null;
        }
        if (next.isFinal() && startedAt == null) {
            startedAt = at;
        }
    }
}
