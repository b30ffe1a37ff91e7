package ai.loopgpt.dr.common.job;

import java.util.List;

/**
 * The phases of every long job of the suite (backups, drills, restores, rollbacks):
 * {@code PENDING → RUNNING → SUCCEEDED | FAILED}; a PENDING job may also fail before it starts. The
 * names are what the database stores and the APIs show.
 */
public enum JobPhase {
    PENDING, RUNNING, SUCCEEDED, FAILED;

    /** The phases of a job still open: a replica owns it, or the reaper settles it. */
    public static final List<JobPhase> OPEN = List.of(PENDING, RUNNING);

    /** Whether the job has ended. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED;
    }

    /** Whether a job may move from this phase to {@code next}: the one transition table. */
    public boolean canMoveTo(JobPhase next) {
        return switch (this) {
            case PENDING -> next == RUNNING || next == FAILED;
            case RUNNING -> next == SUCCEEDED || next == FAILED;
            case SUCCEEDED, FAILED -> false;
        };
    }
}
