package ai.loopgpt.dr.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3-compatible server (S3Proxy) on loopback, answering signed requests (AWS signature v2
 * or v4) for one access key. Objects live in a folder (they survive restarts) or in memory.
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStore store;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(S3Proxy proxy, BlobStore store, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.store = store;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server keeping objects in memory, on any free port. */
    public static EmbeddedS3 startTransient(String accessKey, String secretKey) {
        return start(null, 0, accessKey, secretKey);
    }

    /**
     * Starts a server on {@code port} (0: any free port) keeping its buckets as folders under
     * {@code dataDirectory} (null: in memory).
     */
    public static EmbeddedS3 start(Path dataDirectory, int port, String accessKey, String secretKey) {
        try {
            Properties properties = new Properties();
            BlobStore store;
            if (dataDirectory == null) {
                store = BlobStores.create("transient", properties);
            } else {
                Files.createDirectories(dataDirectory);
                properties.setProperty("jclouds.filesystem.basedir", dataDirectory.toAbsolutePath().toString());
                store = BlobStores.create("filesystem", properties);
            }
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3 server did not start within 30 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(5);
            }
            return new EmbeddedS3(proxy, store, accessKey, secretKey);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded S3 server: " + e.getMessage(), e);
        }
    }

    public int port() {
        return proxy.getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /**
     * The environment a packaged service (backup-service, recovery-service) needs to use {@code bucket}
     * on this server: endpoint, region and static credentials. The launcher and the tests that start a
     * packaged service both take it from here.
     */
    public Map<String, String> serviceEnvironment(String bucket) {
        return Map.of(
                "QUARKUS_S3_ENDPOINT_OVERRIDE", endpoint(),
                "QUARKUS_S3_AWS_REGION", REGION,
                "QUARKUS_S3_AWS_CREDENTIALS_TYPE", "static",
                "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", accessKey,
                "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", secretKey,
                "DR_S3_BUCKET", bucket);
    }

    /** Creates {@code bucket} unless it exists. */
    public void ensureBucket(String bucket) {
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the embedded S3 server", e);
        }
    }
}
