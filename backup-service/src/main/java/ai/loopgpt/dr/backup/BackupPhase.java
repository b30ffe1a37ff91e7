package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.common.job.JobPhase;
import java.util.List;

/**
 * The phases of a backup: the job phases ({@link JobPhase}: {@code PENDING → RUNNING → SUCCEEDED |
 * FAILED}), then {@code SUCCEEDED → EXPIRED} when retention (or an admin) deletes it from the
 * bucket. A backup is SUCCEEDED only once its object is complete, its manifest written and its
 * checksum recorded.
 */
public enum BackupPhase {
    PENDING(JobPhase.PENDING), RUNNING(JobPhase.RUNNING), SUCCEEDED(JobPhase.SUCCEEDED), FAILED(JobPhase.FAILED),
    /** A backup that succeeded and whose object has since been deleted. */
    EXPIRED(JobPhase.SUCCEEDED);

    /** The phases of a backup still open. */
    public static final List<BackupPhase> OPEN = List.of(PENDING, RUNNING);

    private final JobPhase job;

    BackupPhase(JobPhase job) {
        this.job = job;
    }

    /** Where the backup stands as a job (an EXPIRED backup had SUCCEEDED). */
    public JobPhase job() {
        return job;
    }

    /** Whether the backup has stopped running (it may still expire later). */
    public boolean isFinal() {
        return job.isFinal();
    }

    /** Whether a backup may move from this phase to {@code next}: the job's table, plus expiry. */
    public boolean canMoveTo(BackupPhase next) {
        if (this == EXPIRED || next == EXPIRED) {
            return this == SUCCEEDED && next == EXPIRED;
        }
        return job.canMoveTo(next.job);
    }
}
