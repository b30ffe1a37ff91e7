package ai.loopgpt.dr.recovery.restore;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One restore of a backup: its phase, current step, progress, timings and outcome (the RTO evidence). */
@Entity
@Table(name = "restore")
public class Restore extends PanacheEntityBase {

    /** {@code PENDING → RUNNING → SUCCEEDED | FAILED}; a PENDING restore may also fail before it starts. */
    public enum Phase {
        PENDING, RUNNING, SUCCEEDED, FAILED;

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED;
        }

        /** Whether a restore may move from this phase to {@code next}. */
        public boolean canMoveTo(Phase next) {
            return switch (this) {
                case PENDING -> next == RUNNING || next == FAILED;
                case RUNNING -> next == SUCCEEDED || next == FAILED;
                case SUCCEEDED, FAILED -> false;
            };
        }
    }

    @Id
    public UUID id;

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
    public Phase phase;

    /** What it is doing now: safety-backup, restoring, verifying, swapping. */
    public String step;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** When the backup's snapshot was taken: the data-loss window is measured from it. */
    @Column(name = "backup_started_at")
    public Instant backupStartedAt;

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

    @Column(name = "failure_reason")
    public String failureReason;

    /** The one place a restore changes phase. */
    public void moveTo(Phase next, Instant at) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("Restore " + id + " cannot go from " + phase + " to " + next);
        }
        phase = next;
        if (next == Phase.RUNNING) {
            startedAt = at;
        } else if (next.isFinal()) {
            finishedAt = at;
            if (next == Phase.SUCCEEDED) {
                step = null;
            }
            if (startedAt == null) {
                startedAt = at;
            }
        }
    }
}
