package ai.loopgpt.dr.recovery.rollback;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A rollback of a Deployment to an earlier revision: what it did, how long it took, how it ended. */
@Entity
@Table(name = "rollback")
public class Rollback extends PanacheEntityBase {

    public enum Phase { PENDING, RUNNING, SUCCEEDED, FAILED }

    @Id
    public UUID id;

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
    public Phase phase;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "failure_reason")
    public String failureReason;
}
