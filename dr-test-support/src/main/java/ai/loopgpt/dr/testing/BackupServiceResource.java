package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.embedded.SampleDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real backup-service, run from its packaged jar as a child process on a random loopback port,
 * against the test PostgreSQL and S3, for the services that call it. Its targets are sample
 * databases: {@code loopgpt} (200 users) and one per name in {@link #EXTRA_TARGETS} (50 users).
 * Needs backup-service packaged first (the reactor builds it before the services that use it).
 */
public class BackupServiceResource implements QuarkusTestResourceLifecycleManager {

    public static final List<String> EXTRA_TARGETS = List.of("scratch", "vault");
    public static final String TARGET_PASSWORD = UUID.randomUUID().toString();
    private static Process process;
    private static int port;

    public static synchronized String url() {
        if (process == null) {
            start(PostgresResource.server(), S3Resource.server());
        }
        return "http://127.0.0.1:" + port;
    }

    private static void start(EmbeddedPostgres pg, EmbeddedS3 s3) {
        Path jar = repositoryRoot().resolve("backup-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package backup-service first (./mvnw package -pl backup-service -am)");
        }
        try {
            Map<String, String> env = new HashMap<>();
            prepare(pg, "loopgpt", 200, env);
            for (String extra : EXTRA_TARGETS) {
                prepare(pg, extra, 50, env);
            }
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path key = Tokens.issuer().writePublicKey(Files.createTempDirectory("jwt").resolve("issuer-public.pem"));
            env.putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(PostgresResource.SERVICE_DATABASE),
                    "QUARKUS_DATASOURCE_USERNAME", "dr",
                    "QUARKUS_DATASOURCE_PASSWORD", PostgresResource.servicePassword(),
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", key.toString(),
                    "MP_JWT_VERIFY_ISSUER", Tokens.issuer().issuer(),
                    "QUARKUS_S3_ENDPOINT_OVERRIDE", s3.endpoint(),
                    "QUARKUS_S3_AWS_CREDENTIALS_TYPE", "static",
                    "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", s3.accessKey(),
                    "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", s3.secretKey()));
            env.putAll(Map.of(
                    "DR_S3_BUCKET", S3Resource.BUCKET,
                    "BACKUP_SCHEDULE_ENABLED", "false",
                    "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"));
            Path log = Path.of("target/backup-service.log").toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "backup-service-stop"));
            awaitReady(log);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Could not start backup-service: " + e.getMessage(), e);
        }
    }

    private static void prepare(EmbeddedPostgres pg, String name, int users, Map<String, String> env) {
        pg.ensureDatabase(name, "loopgpt_app", TARGET_PASSWORD);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(name), "loopgpt_app", TARGET_PASSWORD)) {
            SampleDatabase.populate(c, users);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String prefix = "BACKUP_TARGETS__" + name.toUpperCase() + "__";
        env.put(prefix + "HOST", pg.host());
        env.put(prefix + "PORT", Integer.toString(pg.port()));
        env.put(prefix + "DATABASE", name);
        env.put(prefix + "USER", "loopgpt_app");
        env.put(prefix + "PASSWORD", TARGET_PASSWORD);
    }

    private static void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("backup-service exited; see " + log + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("backup-service was not ready within 90 s; see " + log);
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Points the REST client with config key {@code backup-service} at it. */
    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.backup-service.url", url());
    }

    @Override
    public void stop() {
        // Kept for the next test application of this JVM; the shutdown hook stops it.
    }
}
