package ai.loopgpt.dr.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample LoopGPT database the suite protects locally: users, food items, orders, their items
 * and provider events (JSONB), shaped like production. Its size scales with the number of users:
 * each user brings 3 orders, 9 order items and 6 provider events (about 3 KB in all).
 */
public final class SampleDatabase {

    /** The sample's tables, parents first. */
    public static final List<String> TABLES = List.of("users", "food_items", "orders", "order_items", "provider_events");

    private SampleDatabase() {
    }

    /**
     * Creates the schema in the database behind {@code connection} and fills it with data for
     * {@code users} users, unless it already holds users (then it is left alone).
     *
     * @return true if data was added
     */
    public static boolean populate(Connection connection, int users) {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        try (Statement s = connection.createStatement()) {
            s.execute(resource("sample-schema.sql"));
            try (var rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM users)")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return false;
                }
            }
            s.execute(resource("sample-data.sql").replace(":users", Integer.toString(users)));
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the sample database: " + e.getMessage(), e);
        }
    }

    /** Row counts of the sample's tables, in {@link #TABLES} order. */
    public static Map<String, Long> rowCounts(Connection connection) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement s = connection.createStatement()) {
            for (String table : TABLES) {
                try (var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static String resource(String name) {
        try (InputStream in = SampleDatabase.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
