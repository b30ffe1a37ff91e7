package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.SampleDatabase;
import ai.loopgpt.dr.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;

/**
 * Backup targets for the tests: {@code loopgpt}, the sample database on the test PostgreSQL;
 * {@code big}, a larger one (about 60 MB, several upload parts); {@code wrong-password}, the sample
 * with a password that does not work; {@code down}, a server that is not there.
 */
public class SampleTargetResource implements QuarkusTestResourceLifecycleManager {

    static final String PASSWORD = UUID.randomUUID().toString();

    @Override
    public Map<String, String> start() {
        EmbeddedPostgres pg = PostgresResource.server();
        pg.ensureDatabase("loopgpt", "loopgpt_app", PASSWORD);
        pg.ensureDatabase("loopgpt_big", "loopgpt_app", PASSWORD);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("loopgpt"), "loopgpt_app", PASSWORD);
                Connection big = DriverManager.getConnection(pg.jdbcUrl("loopgpt_big"), "loopgpt_app", PASSWORD)) {
            SampleDatabase.populate(c, 200);
            SampleDatabase.populate(big, 20_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String port = Integer.toString(pg.port());
        return Map.ofEntries(
                Map.entry("backup.targets.\"loopgpt\".host", pg.host()),
                Map.entry("backup.targets.\"loopgpt\".port", port),
                Map.entry("backup.targets.\"loopgpt\".database", "loopgpt"),
                Map.entry("backup.targets.\"loopgpt\".user", "loopgpt_app"),
                Map.entry("backup.targets.\"loopgpt\".password", PASSWORD),
                Map.entry("backup.targets.\"wrong-password\".host", pg.host()),
                Map.entry("backup.targets.\"wrong-password\".port", port),
                Map.entry("backup.targets.\"wrong-password\".database", "loopgpt"),
                Map.entry("backup.targets.\"wrong-password\".user", "loopgpt_app"),
                Map.entry("backup.targets.\"wrong-password\".password", "not-" + PASSWORD),
                Map.entry("backup.targets.\"big\".host", pg.host()),
                Map.entry("backup.targets.\"big\".port", port),
                Map.entry("backup.targets.\"big\".database", "loopgpt_big"),
                Map.entry("backup.targets.\"big\".user", "loopgpt_app"),
                Map.entry("backup.targets.\"big\".password", PASSWORD),
                Map.entry("backup.targets.\"down\".host", "127.0.0.1"),
                Map.entry("backup.targets.\"down\".port", "1"),
                Map.entry("backup.targets.\"down\".database", "loopgpt"),
                Map.entry("backup.targets.\"down\".user", "loopgpt_app"),
                Map.entry("backup.targets.\"down\".password", PASSWORD),
                Map.entry("backup.storage.part-size-mib", "5"));
    }

    @Override
    public void stop() {
    }
}
