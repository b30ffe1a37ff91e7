package ai.loopgpt.dr.s3;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ready only while the backup bucket answers: a service that cannot reach it cannot back up or
 * restore. Answers within 3 s whatever S3 does: a frozen S3 is "down", not a readiness probe that
 * never answers (one probe of the bucket at a time; a later check waits for the one in flight).
 */
@Readiness
@ApplicationScoped
public class BucketReadinessCheck implements HealthCheck {

    static final long WAIT_SECONDS = 3;

    private final S3Client s3;
    private final BucketSettings settings;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "s3-readiness");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<String> inFlight;

    public BucketReadinessCheck(S3Client s3, BucketSettings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("S3 bucket").withData("bucket", settings.bucket());
        CompletableFuture<String> probe = probe();
        try {
            String error = probe.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return error == null ? response.up().build() : response.down().withData("error", error).build();
        } catch (TimeoutException e) {
            return response.down().withData("error", "S3 did not answer within " + WAIT_SECONDS + " s").build();
        } catch (ExecutionException e) {
            return response.down().withData("error", e.getCause().getClass().getSimpleName()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }

    /** The probe in flight, or a new one: null when the bucket answered, else what went wrong. */
    private synchronized CompletableFuture<String> probe() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    // Each attempt bounded: one stuck on a connection that S3 stopped answering is given up
                    // and tried again on a new one, so readiness follows S3 back within seconds.
                    s3.headBucket(b -> b.bucket(settings.bucket()).overrideConfiguration(o -> o
                            .apiCallAttemptTimeout(Duration.ofSeconds(WAIT_SECONDS + 1)).apiCallTimeout(Duration.ofSeconds(12))));
                    return null;
                } catch (SdkException e) {
                    // The SDK's message names the bucket and status, never the credentials.
                    return e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }, prober);
        }
        return inFlight;
    }
}
