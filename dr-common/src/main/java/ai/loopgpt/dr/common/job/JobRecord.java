package ai.loopgpt.dr.common.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.UUID;

/**
 * The columns every job's row has (who asked, when it was created, started and finished, why it
 * failed) and the one place its times move with its phase. Each job's entity keeps its own
 * {@code phase} column and calls {@link #stamp} when it changes it.
 */
@MappedSuperclass
public abstract class JobRecord extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** What went wrong, written for a human to act on. */
    @Column(name = "failure_reason")
    public String failureReason;

    /**
     * Checks a move from {@code from} to {@code next} against {@link JobPhase}'s table and stamps its
     * time: RUNNING starts the job, a final phase ends it.
     *
     * @throws IllegalStateException for a move the table does not allow
     */
    protected final void stamp(JobPhase from, JobPhase next, Instant at) {
        if (!from.canMoveTo(next)) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + id + " cannot go from " + from + " to "
                    + next);
        }
        if (next == JobPhase.RUNNING) {
            startedAt = at;
        } else if (next.isFinal()) {
            finishedAt = at;
        }
    }
}
