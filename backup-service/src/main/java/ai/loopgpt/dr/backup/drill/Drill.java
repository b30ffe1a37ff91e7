package ai.loopgpt.dr.backup.drill;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One drill: an integrity verification of a stored backup, or a test restore of one through
 * recovery-service into a scratch database. Its evidence is what the plan's "document results" asks for.
 */
@Entity
@Table(name = "drill")
public class Drill extends PanacheEntityBase {

    /** What a drill checks. */
    public enum Type {
        integrity, restore
    }

    /** {@code PENDING → RUNNING → SUCCEEDED | FAILED}. */
    public enum Phase {
        PENDING, RUNNING, SUCCEEDED, FAILED;

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    @Id
    public UUID id;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Type type;

    @Column(nullable = false)
    public String target;

    @Column(name = "backup_id")
    public UUID backupId;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Phase phase;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Why it failed, for a human to act on. */
    @Column(name = "failure_reason")
    public String failureReason;

    /** Checksums, sizes, row counts, durations: what the drill saw. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> evidence;

    /** The restore recovery-service ran for a restore drill. */
    @Column(name = "restore_id")
    public UUID restoreId;

    /** A restore drill's measured restore time: an RTO sample. */
    @Column(name = "rto_seconds")
    public Long rtoSeconds;
}
