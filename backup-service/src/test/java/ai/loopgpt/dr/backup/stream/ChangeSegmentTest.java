package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.stream.PgOutputMessage.Begin;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Commit;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Delete;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Insert;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Relation;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Truncate;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Update;
import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change segment written from a real slot and replayed with the stock tools an operator has
 * ({@code gunzip}, {@code awk}, {@code psql}): whole, it gives the origin's rows and sequence; cut at a
 * time, the rows the origin had at that time.
 */
class ChangeSegmentTest {

    static final String SCHEMA = """
            CREATE TABLE orders (id bigserial PRIMARY KEY, status text NOT NULL, note text);
            CREATE TABLE items (order_id bigint NOT NULL REFERENCES orders ON DELETE CASCADE, sku text NOT NULL,
                                qty int NOT NULL, PRIMARY KEY (order_id, sku));
            """;

    static EmbeddedPostgres postgres;

    @TempDir
    Path directory;

    @BeforeAll
    static void start() throws SQLException {
        postgres = EmbeddedPostgres.startTransient();
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement()) {
            for (String database : List.of("origin", "whole", "cut")) {
                s.execute("CREATE DATABASE " + database);
            }
        }
        for (String database : List.of("origin", "whole", "cut")) {
            try (Connection c = postgres.connect(database); Statement s = c.createStatement()) {
                s.execute(SCHEMA);
            }
        }
        try (Connection c = postgres.connect("origin"); Statement s = c.createStatement()) {
            s.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
            s.execute("SELECT pg_create_logical_replication_slot('segment', 'pgoutput')");
        }
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void stockToolsReplayASegmentWholeOrUpToATime() throws Exception {
        List<String> atCut;
        Instant cut;
        try (Connection c = postgres.connect("origin"); Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = on");
            s.execute("INSERT INTO orders (status, note) SELECT 'new', E'line\\nbreak ' || i FROM generate_series(1, 30) i");
            s.execute("INSERT INTO items SELECT id, 'sku-' || id, 1 FROM orders");
            s.execute("BEGIN; UPDATE orders SET status = 'paid' WHERE id <= 10; UPDATE items SET qty = 2 WHERE order_id <= 10; COMMIT");
            atCut = rows("origin");
            cut = instant(s, "SELECT clock_timestamp()");
            Thread.sleep(20);
            s.execute("DELETE FROM orders WHERE id > 25"); // and, by the cascade, their items
            s.execute("INSERT INTO orders (status) VALUES ('late')");
            s.execute("UPDATE items SET qty = qty + 1");
            s.execute("TRUNCATE items");
        }
        Map<String, Long> sequences = Map.of("\"public\".\"orders_id_seq\"", 31L);

        Path file = directory.resolve("segment.sql.gz");
        ChangeSegment.Sealed sealed;
        try (ChangeSegment segment = new ChangeSegment(directory, 0x10L)) {
            write(segment);
            assertThrows(IllegalStateException.class, () -> segment.commit(new Commit(1, 2, Instant.EPOCH)),
                    "a commit outside a transaction is a broken stream");
            sealed = segment.seal(file, "target loopgpt, base 5b0c1a2f, slot dr_loopgpt_5b0c1a2f", sequences);
        }
        assertEquals(7, sealed.transactions());
        assertEquals(30 + 30 + 20 + 5 + 5 + 1 + 25 + 1, sealed.rows(), "rows by statement; the truncate counts once");
        assertEquals(Map.of("public.orders", 30L + 10 + 5 + 1, "public.items", 30L + 10 + 5 + 25 + 1), sealed.rowsByTable());
        assertTrue(sealed.firstLsn() < sealed.lastLsn() && sealed.lastLsn() < sealed.endLsn());
        assertEquals(Files.size(file), sealed.sizeBytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                sealed.sha256());
        String text = gunzip(file);
        assertTrue(text.startsWith(ChangeSegmentFormat.FIRST_LINE + "\n-- target loopgpt, base 5b0c1a2f"), text);
        assertEquals(text.lines().count(), text.chars().filter(ch -> ch == '\n').count(), "one statement per line");

        psql("whole", "gunzip -c " + file);
        assertEquals(rows("origin"), rows("whole"));
        assertEquals(List.of("31"), query("whole", "SELECT last_value FROM orders_id_seq"));

        psql("cut", "gunzip -c " + file + " | " + ChangeSegment.CUT.formatted(ChangeSegmentFormat.commitTime(cut)));
        assertEquals(atCut, rows("cut"));
        assertNotEquals(rows("origin"), rows("cut"));
    }

    /** The slot's changes since the last call, written to {@code segment} as the streamer writes them. */
    static void write(ChangeSegment segment) throws SQLException, IOException {
        ChangeSql sql = new ChangeSql();
        try (Connection c = PgOutputRoundTripTest.settled(postgres.connect("origin")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT data FROM pg_logical_slot_get_binary_changes('segment', NULL, NULL, "
                        + "'proto_version', '1', 'publication_names', 'dr_stream')")) {
            while (rs.next()) {
                PgOutputMessage message = PgOutputDecoder.decode(ByteBuffer.wrap(rs.getBytes(1)));
                if (message instanceof Begin begin) {
                    segment.begin(begin);
                } else if (message instanceof Commit commit) {
                    segment.commit(commit);
                } else if (message instanceof Relation relation) {
                    sql.relation(relation);
                } else if (message instanceof Insert insert) {
                    segment.change(sql.relation(insert.relationOid()).displayName(), sql.insert(insert));
                } else if (message instanceof Update update) {
                    segment.change(sql.relation(update.relationOid()).displayName(), sql.update(update));
                } else if (message instanceof Delete delete) {
                    segment.change(sql.relation(delete.relationOid()).displayName(), sql.delete(delete));
                } else if (message instanceof Truncate truncate) {
                    segment.change(sql.relation(truncate.relationOids().get(0)).displayName(), sql.truncate(truncate));
                }
            }
        }
    }

    static void psql(String database, String source) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + source + " | psql -X -q -v ON_ERROR_STOP=1 -h "
                + postgres.host() + " -p " + postgres.port() + " -U postgres -d " + database)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }

    static List<String> rows(String database) throws SQLException {
        List<String> rows = new ArrayList<>(query(database, "SELECT o::text FROM orders o ORDER BY id"));
        rows.addAll(query(database, "SELECT i::text FROM items i ORDER BY order_id, sku"));
        return rows;
    }

    static List<String> query(String database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = postgres.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    static Instant instant(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
