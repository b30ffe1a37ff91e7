package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.storage.UploadStalledException;
import ai.loopgpt.dr.common.retry.Failures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Why a backup failed: a short category for metrics (target, pg_dump, lock-timeout, timeout,
 * storage, interrupted, internal) and a reason a human can act on.
 */
final class BackupFailure extends Exception {

    final String category;

    BackupFailure(String category, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.category = category;
    }

    /** A backup stopped by its watchdog after backup.max-duration. */
    static BackupFailure timedOut(Duration maxDuration, Throwable cause) {
        return new BackupFailure("timeout", "The backup did not finish within backup.max-duration (" + maxDuration
                + ") and was stopped; the target is free again. Find what slowed it (locks, a slow bucket) or raise "
                + "backup.max-duration.", cause);
    }

    /**
     * Sorts what a backup of {@code target} threw: a table lock it waited on past {@code lockWait},
     * a failure already classified, an interruption, S3 stalled or failing, or anything else
     * ("internal"). The reason never carries the target's password.
     */
    static BackupFailure classify(Exception e, Target target, Duration lockWait) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String text = String.valueOf(cause.getMessage());
        if (text.contains("could not obtain lock") || text.contains("lock timeout")
                || (text.contains("statement timeout") && text.contains("LOCK TABLE"))) {
            return new BackupFailure("lock-timeout", "A table of " + target.name() + " stayed locked longer than "
                    + "backup.lock-wait-timeout (" + lockWait + "), probably by a migration holding an ACCESS EXCLUSIVE "
                    + "lock; the backup gave up and freed the target. Take it again once the lock is released. ("
                    + scrub(text, target) + ")", cause);
        }
        if (cause instanceof BackupFailure failure) {
            return failure;
        }
        if (cause instanceof InterruptedException) {
            return new BackupFailure("interrupted", "The backup was interrupted: backup-service is shutting down.", cause);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UploadStalledException stalled) {
                return new BackupFailure("storage", stalled.getMessage() + " pg_dump was stopped.", cause);
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SdkException || t instanceof IOException || t instanceof UncheckedIOException) {
                Throwable root = Failures.root(t);
                return new BackupFailure("storage", "Upload to S3 failed (" + root.getClass().getSimpleName() + ": "
                        + root.getMessage() + "). Check that the bucket is reachable and writable.", cause);
            }
        }
        return new BackupFailure("internal", "Unexpected error: " + cause, cause);
    }

    /** Whatever a message says, it never carries the target's password. */
    static String scrub(String message, Target target) {
        if (message == null) {
            return null;
        }
        return target.password() == null || target.password().isEmpty() ? message
                : message.replace(target.password(), "****");
    }
}
