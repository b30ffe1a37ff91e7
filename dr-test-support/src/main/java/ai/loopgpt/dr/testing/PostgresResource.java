package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL 15 server on a random loopback port, with a database {@code dr} for the
 * service under test (owned by a password-protected role). One server per test JVM, shared by every
 * test application started in it; stopped when the JVM ends.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE_DATABASE = "dr";
    private static EmbeddedPostgres server;
    private static final String PASSWORD = UUID.randomUUID().toString();

    /** The running server, for tests that need their own databases (targets to back up, destinations). */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = EmbeddedPostgres.startTransient();
            server.ensureDatabase(SERVICE_DATABASE, "dr", PASSWORD);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
        }
        return server;
    }

    /** The password of the role {@code dr} that owns the service database. */
    public static String servicePassword() {
        return PASSWORD;
    }

    @Override
    public Map<String, String> start() {
        EmbeddedPostgres pg = server();
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(SERVICE_DATABASE),
                "quarkus.datasource.username", "dr",
                "quarkus.datasource.password", PASSWORD);
    }

    @Override
    public void stop() {
        // Kept for the next test application of this JVM; the shutdown hook stops it.
    }
}
