package ai.loopgpt.dr.backup.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.stream.PgOutputMessage.Begin;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Commit;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Delete;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Insert;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Relation;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Truncate;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Update;
import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decoder and the SQL writer against a real PostgreSQL 15: changes made on one database are
 * read from a pgoutput slot (its SQL interface), written as SQL and replayed on a second database
 * with the same schema; both databases then hold the same rows.
 */
class PgOutputRoundTripTest {

    static final String SCHEMA = """
            CREATE TABLE orders (id bigserial PRIMARY KEY, status text NOT NULL, note text, payload text,
                                 placed_at timestamptz DEFAULT now(), total numeric(12,2));
            CREATE TABLE items (order_id bigint NOT NULL, sku text NOT NULL, qty int NOT NULL,
                                tags text[], PRIMARY KEY (order_id, sku));
            CREATE TABLE events (at timestamptz NOT NULL, body jsonb);
            ALTER TABLE events REPLICA IDENTITY FULL;
            CREATE SCHEMA "Odd schema";
            """
            + "CREATE TABLE \"Odd schema\".\"Odd \"\"name\"\"\" (\"Key\" int PRIMARY KEY, \"va\"\"lue\" bytea, flag boolean, "
            + "total double precision GENERATED ALWAYS AS (\"Key\" * 1.5) STORED);";

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws SQLException {
        postgres = EmbeddedPostgres.startTransient();
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE origin");
            s.execute("CREATE DATABASE replica");
        }
        for (String database : List.of("origin", "replica")) {
            try (Connection c = postgres.connect(database); Statement s = c.createStatement()) {
                s.execute(SCHEMA);
            }
        }
        try (Connection c = postgres.connect("origin"); Statement s = c.createStatement()) {
            s.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
            s.execute("SELECT pg_create_logical_replication_slot('round_trip', 'pgoutput')");
        }
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyChangeReplayedGivesTheSameRows() throws Exception {
        try (Connection c = postgres.connect("origin"); Statement s = c.createStatement()) {
            // The embedded server commits asynchronously; decoding reads only what is flushed.
            s.execute("SET synchronous_commit = on");
            s.execute("INSERT INTO orders (status, note, payload, total) SELECT 'new', 'order ' || i, "
                    + "(SELECT string_agg(md5(i::text || j::text), '') FROM generate_series(1, 300) j), i * 1.25 "
                    + "FROM generate_series(1, 20) i");
            s.execute("INSERT INTO orders (status, note) VALUES ('new', E'two\\nlines, a \\\\ and it''s \u00fcn\u00efc\u00f8d\u00e9')");
            s.execute("INSERT INTO items SELECT id, 'sku-' || id, id::int % 3 + 1, ARRAY['a', 'b c', NULL] FROM orders");
            // A transaction spanning tables; an update leaving the TOASTed payload alone; a key change.
            s.execute("BEGIN; UPDATE orders SET status = 'paid' WHERE id <= 5; "
                    + "UPDATE items SET qty = qty + 10 WHERE order_id <= 5; COMMIT");
            s.execute("UPDATE items SET sku = 'renamed' WHERE order_id = 6");
            s.execute("UPDATE orders SET id = 1000 WHERE id = 7");
            s.execute("UPDATE items SET order_id = 1000 WHERE order_id = 7");
            s.execute("DELETE FROM items WHERE order_id BETWEEN 8 AND 10");
            s.execute("DELETE FROM orders WHERE id BETWEEN 8 AND 10");
            s.execute("UPDATE orders SET note = NULL, total = NULL WHERE id = 11");
            s.execute("INSERT INTO events SELECT '2026-12-06 05:47:13+00'::timestamptz + i * interval '1 s', "
                    + "jsonb_build_object('n', i, 'text', 'line\nbreak') FROM generate_series(1, 5) i");
            s.execute("INSERT INTO events VALUES ('2026-12-06 05:47:14+00', '{\"n\": 1, \"text\": \"line\\nbreak\"}')");
            s.execute("DELETE FROM events WHERE body->>'n' = '2'");
            s.execute("UPDATE events SET body = NULL WHERE body->>'n' = '3'");
            s.execute("INSERT INTO \"Odd schema\".\"Odd \"\"name\"\"\" (\"Key\", \"va\"\"lue\", flag) "
                    + "VALUES (1, '\\x00ff0a', true), (2, NULL, false)");
            s.execute("UPDATE \"Odd schema\".\"Odd \"\"name\"\"\" SET \"va\"\"lue\" = '\\x5c27' WHERE \"Key\" = 2");
            s.execute("TRUNCATE events");
            s.execute("INSERT INTO events VALUES ('2026-12-06 06:00:00+00', '[1, 2]')");
        }

        List<String> script = new ArrayList<>();
        ChangeSql sql = new ChangeSql();
        int transactions = 0;
        try (Connection c = settled(postgres.connect("origin")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT data FROM pg_logical_slot_get_binary_changes('round_trip', NULL, NULL, "
                        + "'proto_version', '1', 'publication_names', 'dr_stream')")) {
            while (rs.next()) {
                PgOutputMessage message = PgOutputDecoder.decode(ByteBuffer.wrap(rs.getBytes(1)));
                if (message instanceof Begin) {
                    script.add("BEGIN;");
                } else if (message instanceof Commit commit) {
                    assertTrue(commit.endLsn() > commit.commitLsn(), "the end lies past the commit record");
                    script.add("COMMIT;");
                    transactions++;
                } else if (message instanceof Relation relation) {
                    sql.relation(relation);
                } else if (message instanceof Insert insert) {
                    script.add(sql.insert(insert));
                } else if (message instanceof Update update) {
                    String statement = sql.update(update);
                    if (statement != null) {
                        script.add(statement);
                    }
                } else if (message instanceof Delete delete) {
                    script.add(sql.delete(delete));
                } else if (message instanceof Truncate truncate) {
                    script.add(sql.truncate(truncate));
                }
            }
        }
        assertEquals(18, transactions, "one transaction per statement above, one for the BEGIN ... COMMIT");
        for (String line : script) {
            assertTrue(line.indexOf('\n') < 0 && line.indexOf('\r') < 0, "one line: " + line);
        }

        try (Connection c = settled(postgres.connect("replica")); Statement s = c.createStatement()) {
            for (String line : script) {
                s.execute(line);
            }
        }
        for (String table : List.of("orders ORDER BY id", "items ORDER BY order_id, sku", "events ORDER BY at",
                "\"Odd schema\".\"Odd \"\"name\"\"\" ORDER BY \"Key\"")) {
            List<String> origin = rows("origin", table);
            assertTrue(!origin.isEmpty() || table.startsWith("events"), table);
            assertEquals(origin, rows("replica", table), table);
        }
    }

    /** The connection with the stream's settings, as the streamer decodes and a replay applies. */
    static Connection settled(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String setting : ChangeSql.SETTINGS) {
                s.execute(setting);
            }
        }
        return connection;
    }

    static List<String> rows(String database, String tableAndOrder) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = postgres.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT t::text FROM " + tableAndOrder.replaceFirst(" ORDER BY", " t ORDER BY"))) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
