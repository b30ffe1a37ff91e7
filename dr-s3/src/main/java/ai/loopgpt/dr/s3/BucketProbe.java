package ai.loopgpt.dr.s3;

import ai.loopgpt.dr.common.selfcheck.Check;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Self-checks of the backup bucket, from the service that uses it: readable (recovery-service) or
 * writable (backup-service: listed, then a probe object put and deleted). Each waits at most 20 s whatever S3
 * does, and says what to fix from the S3 error code alone (never a credential).
 */
public final class BucketProbe {

    private static final long LIMIT_SECONDS = 20;

    /**
     * Probes run on threads of their own: on a two-core machine the common fork-join pool has one
     * thread, and a probe queued behind other work there counted that wait against its limit.
     */
    private static final java.util.concurrent.ExecutorService PROBES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "s3-bucket-probe");
        t.setDaemon(true);
        return t;
    });

    private BucketProbe() {
    }

    /** The bucket answers and this service's credentials may list it. */
    public static Check readable(S3Client s3, String bucket) {
        String name = "S3 bucket " + bucket + " readable";
        return bounded(name, () -> {
            s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1).overrideConfiguration(BucketProbe::eachAttemptBounded));
            return Check.pass(name, "listed with this service's credentials");
        });
    }

    /** The bucket can be listed, and a small object written at {@code probeKey} and deleted again. */
    public static Check writable(S3Client s3, String bucket, String probeKey, Runnable put) {
        String name = "S3 bucket " + bucket + " writable";
        return bounded(name, () -> {
            // First a request without a body, so that wrong credentials or a missing bucket are named from
            // S3's answer: a refused write is often cut off mid-body (S3 answers 403 and closes while the
            // body is on its way), which the client sees as a lost connection and tries again and again.
            s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1).overrideConfiguration(BucketProbe::eachAttemptBounded));
            put.run();
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(probeKey).overrideConfiguration(BucketProbe::eachAttemptBounded));
                return Check.pass(name, "put and deleted a probe object");
            } catch (AwsServiceException locked) {
                return Check.pass(name, "put a probe object (" + probeKey + "); it stays until its object lock expires");
            }
        });
    }

    /**
     * A probe's request: each attempt bounded, so that one stuck on a connection S3 stopped answering is
     * tried again on a new one within the check's limit.
     */
    private static void eachAttemptBounded(software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder request) {
        request.apiCallAttemptTimeout(java.time.Duration.ofSeconds(5)).apiCallTimeout(java.time.Duration.ofSeconds(15));
    }

    /** Writes {@code probeKey} with no options: for callers without their own put. */
    public static Runnable plainPut(S3Client s3, String bucket, String probeKey) {
        return () -> s3.putObject(b -> b.bucket(bucket).key(probeKey).contentType("text/plain"),
                RequestBody.fromString("LoopGPT DR self-check probe; safe to delete\n"));
    }

    private static Check bounded(String name, Supplier<Check> probe) {
        CompletableFuture<Check> future = CompletableFuture.supplyAsync(() -> {
            try {
                return probe.get();
            } catch (SdkException e) {
                return failure(name, e);
            }
        }, PROBES);
        try {
            return future.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Check.fail(name, "S3 did not answer within " + LIMIT_SECONDS + " s",
                    "Check the S3 endpoint (QUARKUS_S3_ENDPOINT_OVERRIDE; chart: s3.endpoint) and the network to it.");
        } catch (ExecutionException e) {
            return Check.fail(name, "the check failed: " + e.getCause().getClass().getSimpleName(), "See the service's log.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(name, "interrupted", "Run the check again.");
        }
    }

    static Check failure(String name, SdkException e) {
        if (e instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            int status = aws.statusCode();
            String seen = "S3 answered HTTP " + status + (code == null ? "" : " " + code);
            if ("NoSuchBucket".equals(code) || status == 404) {
                return Check.fail(name, seen, "Create the bucket, or set DR_S3_BUCKET (chart: s3.bucket) to the one that exists.");
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || "InvalidToken".equals(code)
                    || "ExpiredToken".equals(code)) {
                return Check.fail(name, seen + ": the credentials are wrong", "Correct the S3 access key and secret"
                        + " (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_*;"
                        + " chart: the Secret s3.existingSecret), or the pod's role.");
            }
            if (status == 403) {
                return Check.fail(name, seen + ": the credentials may not do this",
                        "Grant this service's S3 user or role s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on the bucket.");
            }
            return Check.fail(name, seen, "Check the bucket and the S3 endpoint.");
        }
        if (e instanceof SdkClientException) {
            return Check.fail(name, "cannot reach S3 (" + e.getClass().getSimpleName() + ")",
                    "Check the S3 endpoint (QUARKUS_S3_ENDPOINT_OVERRIDE; chart: s3.endpoint), its region and the network to it.");
        }
        return Check.fail(name, e.getClass().getSimpleName(), "See the service's log.");
    }
}
