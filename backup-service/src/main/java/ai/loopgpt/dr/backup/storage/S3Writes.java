package ai.loopgpt.dr.backup.storage;

import ai.loopgpt.dr.common.retry.Backoff;
import java.io.IOException;
import java.time.Duration;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** How the backup store writes to S3: each write bounded in time, and tried again after a lost connection. */
final class S3Writes {

    private static final Logger LOG = Logger.getLogger(S3Writes.class);

    private final Duration stallTimeout;

    S3Writes(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    /**
     * Every write is bounded, retries included: a socket write to a peer that stopped reading (a
     * frozen S3) blocks forever, and the SDK's read timeout does not cover it.
     */
    AwsRequestOverrideConfiguration bounded() {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(stallTimeout).build();
    }

    /** The failure said when a write was not acknowledged in time. */
    UploadStalledException stalled(String what, ApiCallTimeoutException e) {
        return new UploadStalledException("S3 did not acknowledge " + what + " within " + stallTimeout
                + " (backup.storage.stall-timeout): is S3 reachable and answering?", e);
    }

    /**
     * Runs a call that may safely run twice (starting an upload, sending a part or a whole
     * object), again up to three times when the connection failed before S3 answered (after the
     * SDK's own retries): connections kept alive from before an outage of S3 fail on their
     * first use after it, and there can be more of them than the SDK's retries.
     */
    static <T> T reconnecting(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkClientException e) {
                if (attempt == 4 || !causedByIo(e) || e instanceof ApiCallTimeoutException) {
                    throw e;
                }
                LOG.debugf("S3 connection failed (%s); trying again", e.getMessage());
                try {
                    Thread.sleep(Backoff.after(attempt, Duration.ofSeconds(2)).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
