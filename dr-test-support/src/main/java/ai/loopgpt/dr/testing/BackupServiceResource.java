package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.embedded.SampleDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real backup-service, run from its packaged jar as a child process on a random loopback port,
 * against the test PostgreSQL and S3, for the services that call it. Its targets are sample
 * databases: {@code loopgpt} (200 users), one per name in {@link #EXTRA_TARGETS} (50 users), and
 * {@link #STREAMED} (50 users), streamed: its backups start a change stream (segments every second).
 * Needs backup-service packaged first (the reactor builds it before the services that use it).
 */
public class BackupServiceResource implements QuarkusTestResourceLifecycleManager {

    public static final List<String> EXTRA_TARGETS = List.of("scratch", "vault");
    /** The streamed target (backup.targets.streamed.stream=true), on database {@code streamed}. */
    public static final String STREAMED = "streamed";
    public static final String TARGET_PASSWORD = UUID.randomUUID().toString();
    private static ServiceProcess service;

    public static synchronized String url() {
        if (service == null) {
            start(PostgresResource.server(), S3Resource.server());
        }
        return service.url();
    }

    private static void start(EmbeddedPostgres pg, EmbeddedS3 s3) {
        service = ServiceProcess.start("backup-service", environment(pg, s3));
    }

    /**
     * The environment of a backup-service against the test PostgreSQL and S3, with its sample target
     * databases prepared: for tests that run (and kill) their own backup-service process.
     */
    public static synchronized Map<String, String> environment(EmbeddedPostgres pg, EmbeddedS3 s3) {
        Map<String, String> env = new HashMap<>();
        prepare(pg, "loopgpt", 200, env);
        for (String extra : EXTRA_TARGETS) {
            prepare(pg, extra, 50, env);
        }
        prepare(pg, STREAMED, 50, env);
        try (Connection c = pg.connect(STREAMED); java.sql.Statement s = c.createStatement()) {
            // What streaming needs of the server (wal_level=logical is the embedded server's own setting).
            s.execute("ALTER ROLE loopgpt_app REPLICATION");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'dr_stream') THEN "
                    + "CREATE PUBLICATION dr_stream FOR ALL TABLES; END IF; END $$");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        env.put("BACKUP_TARGETS__STREAMED__STREAM", "true");
        env.put("BACKUP_STREAM_SEGMENT_SECONDS", "1");
        env.put("BACKUP_STREAM_CHECK_EVERY", "1s");
        env.putAll(s3.serviceEnvironment(S3Resource.BUCKET));
        env.put("BACKUP_SCHEDULE_ENABLED", "false");
        return env;
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

    /** The repository's root folder (the one holding mvnw), from any module's working directory. */
    public static Path repositoryRoot() {
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
