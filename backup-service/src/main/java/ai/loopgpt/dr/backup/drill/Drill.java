package ai.loopgpt.dr.backup.drill;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.JobRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
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
public class Drill extends JobRecord {

    /** What a drill checks. */
    public enum Type {
        integrity, restore
    }

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Type type;

    @Column(nullable = false)
    public String target;

    @Column(name = "backup_id")
    public UUID backupId;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public JobPhase phase;

    /** Checksums, sizes, row counts, durations: what the drill saw. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> evidence;

    /** The restore recovery-service ran for a restore drill. */
    @Column(name = "restore_id")
    public UUID restoreId;

    /** A restore drill's measured restore time: an RTO sample. */
    @Column(name = "rto_seconds")
    public Long rtoSeconds;

    /** The one place a drill changes phase. */
    public void moveTo(JobPhase next, Instant at) {
        stamp(phase, next, at);
        phase = next;
    }
}
