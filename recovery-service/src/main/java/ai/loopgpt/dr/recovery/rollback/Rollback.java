package ai.loopgpt.dr.recovery.rollback;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.JobRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;

/** A rollback of a Deployment to an earlier revision: what it did, how long it took, how it ended. */
@Entity
@Table(name = "rollback")
public class Rollback extends JobRecord {

    @Column(nullable = false)
    public String namespace;

    @Column(nullable = false)
    public String deployment;

    @Column(name = "from_revision")
    public Long fromRevision;

    @Column(name = "to_revision", nullable = false)
    public long toRevision;

    /** The images of the revision rolled back to, comma-separated. */
    public String images;

    @Column(name = "health_url")
    public String healthUrl;

    @Column(name = "health_status")
    public Integer healthStatus;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public JobPhase phase;

    /** The one place a rollback changes phase; one that ends before it started counts as started then. */
    public void moveTo(JobPhase next, Instant at) {
        stamp(phase, next, at);
        phase = next;
        if (next.isFinal() && startedAt == null) {
            startedAt = at;
        }
    }
}
