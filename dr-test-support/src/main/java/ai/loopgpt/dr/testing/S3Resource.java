package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.EmbeddedS3;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * A real S3-compatible server on a random loopback port with the backup bucket created, objects in
 * memory. One per test JVM.
 */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "loopgpt-dr-backups";
    private static EmbeddedS3 server;

    public static synchronized EmbeddedS3 server() {
        if (server == null) {
            server = EmbeddedS3.startTransient("test-" + UUID.randomUUID().toString().substring(0, 8),
                    UUID.randomUUID().toString());
            server.ensureBucket(BUCKET);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-s3-stop"));
        }
        return server;
    }

    /**
     * The environment a packaged service started by a test ({@link ServiceProcess}) needs to use the
     * test S3: endpoint, region, static credentials and the backup bucket.
     */
    public static Map<String, String> serviceEnvironment() {
        return server().serviceEnvironment(BUCKET);
    }

    @Override
    public Map<String, String> start() {
        EmbeddedS3 s3 = server();
        return Map.of(
                "quarkus.s3.endpoint-override", s3.endpoint(),
                "quarkus.s3.aws.region", EmbeddedS3.REGION,
                "quarkus.s3.aws.credentials.type", "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id", s3.accessKey(),
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", s3.secretKey(),
                "dr.s3.bucket", BUCKET);
    }

    @Override
    public void stop() {
        // Kept for the next test application of this JVM; the shutdown hook stops it.
    }
}
