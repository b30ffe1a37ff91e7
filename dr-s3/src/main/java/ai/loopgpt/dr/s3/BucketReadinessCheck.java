package ai.loopgpt.dr.s3;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** Ready only while the backup bucket answers: a service that cannot reach it cannot back up or restore. */
@Readiness
@ApplicationScoped
public class BucketReadinessCheck implements HealthCheck {

    private final S3Client s3;
    private final BucketSettings settings;

    public BucketReadinessCheck(S3Client s3, BucketSettings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("S3 bucket").withData("bucket", settings.bucket());
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
            return response.up().build();
        } catch (SdkException e) {
            // The SDK's message names the bucket and status, never the credentials.
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
