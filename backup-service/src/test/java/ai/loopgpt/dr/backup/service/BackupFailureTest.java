package ai.loopgpt.dr.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.storage.UploadStalledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;

class BackupFailureTest {

    private static final Target TARGET = new Target("orders", "db.internal", 5432, "orders", "backup", "s3cr3t-pw");
    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    private static BackupFailure classify(Exception e) {
        return BackupFailure.classify(e, TARGET, LOCK_WAIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ERROR: could not obtain lock on relation \"orders\"",
            "pg_dump: error: query failed: ERROR: canceling statement due to lock timeout",
            "ERROR: canceling statement due to statement timeout; query was: LOCK TABLE public.orders"})
    void aTableLockedPastTheWaitIsALockTimeoutNamingTheSetting(String message) {
        BackupFailure failure = classify(new SQLException(message + " (password s3cr3t-pw)"));
        assertEquals("lock-timeout", failure.category);
        assertTrue(failure.getMessage().contains("backup.lock-wait-timeout (PT30S)"), failure.getMessage());
        assertFalse(failure.getMessage().contains("s3cr3t-pw"), "the target's password never reaches a reason");
        assertTrue(failure.getMessage().contains("****"));
    }

    @Test
    void aFailureAlreadyClassifiedKeepsItsCategory() {
        BackupFailure pgDump = new BackupFailure("pg_dump", "pg_dump failed (exit 1): no such table", null);
        assertSame(pgDump, classify(pgDump));
        assertSame(pgDump, classify(new ExecutionException(pgDump)));
    }

    @Test
    void anInterruptionIsTheServiceShuttingDown() {
        BackupFailure failure = classify(new InterruptedException());
        assertEquals("interrupted", failure.category);
        assertEquals("The backup was interrupted: backup-service is shutting down.", failure.getMessage());
        assertFalse(Thread.currentThread().isInterrupted(), "classifying interrupts nothing: the engine does");
    }

    @Test
    void aStalledUploadIsStorageAndSaysPgDumpWasStopped() {
        UploadStalledException stalled = new UploadStalledException("S3 did not acknowledge part 3 within PT2M.", null);
        BackupFailure failure = classify(new IllegalStateException("upload", stalled));
        assertEquals("storage", failure.category);
        assertEquals("S3 did not acknowledge part 3 within PT2M. pg_dump was stopped.", failure.getMessage());
    }

    @Test
    void s3AndIoErrorsAreStorageNamingTheRootCause() {
        BackupFailure sdk = classify(SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")));
        assertEquals("storage", sdk.category);
        assertEquals("Upload to S3 failed (ConnectException: Connection refused). Check that the bucket is reachable "
                + "and writable.", sdk.getMessage());
        BackupFailure io = classify(new UncheckedIOException(new IOException("Broken pipe")));
        assertEquals("storage", io.category);
        assertTrue(io.getMessage().contains("IOException: Broken pipe"), io.getMessage());
    }

    @Test
    void anythingElseIsInternal() {
        BackupFailure failure = classify(new NullPointerException("oops"));
        assertEquals("internal", failure.category);
        assertEquals("Unexpected error: java.lang.NullPointerException: oops", failure.getMessage());
    }

    @Test
    void aStopAfterTheMaximumDurationIsATimeoutNamingTheSetting() {
        BackupFailure failure = BackupFailure.timedOut(Duration.ofHours(2), new InterruptedException());
        assertEquals("timeout", failure.category);
        assertTrue(failure.getMessage().startsWith("The backup did not finish within backup.max-duration (PT2H)"));
    }

    @Test
    void scrubbingLeavesMessagesOfTargetsWithoutPasswordAlone() {
        Target open = new Target("orders", "db.internal", 5432, "orders", "backup", null);
        assertEquals("pg_dump failed", BackupFailure.scrub("pg_dump failed", open));
        assertEquals("auth **** failed", BackupFailure.scrub("auth s3cr3t-pw failed", TARGET));
        assertEquals(null, BackupFailure.scrub(null, TARGET));
    }
}
