package ai.loopgpt.dr.backup;

import java.util.Set;

/**
 * The phases of a backup: {@code PENDING → RUNNING → SUCCEEDED | FAILED}, then {@code SUCCEEDED →
 * EXPIRED} when retention (or an admin) deletes it from the bucket. A backup is SUCCEEDED only once
 * its object is complete, its manifest written and its checksum recorded.
 */
public enum BackupPhase {
    PENDING, RUNNING, SUCCEEDED, FAILED, EXPIRED;

    /** Whether the backup has stopped running (it may still expire later). */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == EXPIRED;
    }

    /** Whether a backup may move from this phase to {@code next}. */
    public boolean canMoveTo(BackupPhase next) {
        return switch (this) {
            case PENDING -> Set.of(RUNNING, FAILED).contains(next);
            case RUNNING -> Set.of(SUCCEEDED, FAILED).contains(next);
            case SUCCEEDED -> next == EXPIRED;
            case FAILED, EXPIRED -> false;
        };
    }
}
