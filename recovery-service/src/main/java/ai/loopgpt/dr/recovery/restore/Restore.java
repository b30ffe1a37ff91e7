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

    public enum Phase { PENDING, RUNNING, SUCCEEDED, FAILED }

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

    @Column(name = "bytes_read", nullable = false)
    public long bytesRead;

    @Column(name = "bytes_total")
    public Long bytesTotal;

    @Column(name = "tables_restored", nullable = false)
    public int tablesRestored;

    @Column(name = "tables_verified", nullable = false)
    public int tablesVerified;

    @Column(name = "failure_reason")
    public String failureReason;
}
