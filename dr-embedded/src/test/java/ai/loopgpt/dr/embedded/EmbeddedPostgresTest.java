package ai.loopgpt.dr.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    @Test
    void sampleDatabaseSurvivesARestartAndRequiresPasswords() throws Exception {
        Path data = Files.createTempDirectory("pg-data");
        Map<String, Long> first;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, 0)) {
            pg.ensureDatabase("loopgpt", "loopgpt_app", "s3cret");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("loopgpt"), "loopgpt_app", "s3cret")) {
                assertTrue(SampleDatabase.populate(c, 100));
                first = SampleDatabase.rowCounts(c);
            }
            assertEquals(Map.of("users", 100L, "food_items", 50L, "orders", 300L, "order_items", 900L,
                    "provider_events", 600L), first);
            assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl("loopgpt"), "loopgpt_app", "wrong").close());
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, 0);
                Connection c = DriverManager.getConnection(pg.jdbcUrl("loopgpt"), "loopgpt_app", "s3cret")) {
            assertFalse(SampleDatabase.populate(c, 100), "a second start keeps the data of the first");
            assertEquals(first, SampleDatabase.rowCounts(c));
            // Logical decoding on, also for a data directory made before (the setting is given at each start).
            try (var s = c.createStatement(); var rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                assertEquals("logical", rs.getString(1));
            }
        }
    }
}
