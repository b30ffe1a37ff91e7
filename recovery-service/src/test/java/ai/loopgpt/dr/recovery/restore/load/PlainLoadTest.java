package ai.loopgpt.dr.recovery.restore.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.common.process.PhaseTimer;
import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.recovery.restore.RestoreEngine;
import ai.loopgpt.dr.testing.PostgresResource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parallel load of plain dumps against the plan's own {@code psql < dump}: the same schema,
 * the same rows, sequences and large objects, whatever the dump holds (quoted names, rows that
 * look like SQL or like pg_dump's headers, a function whose body holds a header, partitions, a
 * materialized view), and a clear failure, never a hang, when the dump is damaged.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PlainLoadTest {

    private static final String SCHEMA = """
            CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, note text);
            CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id),
                total int NOT NULL CHECK (total >= 0), body jsonb);
            CREATE INDEX orders_user_idx ON orders (user_id);
            -- Several indexes on one table: built at once (CREATE INDEX shares the table's lock).
            CREATE INDEX orders_total_idx ON orders (total);
            CREATE INDEX orders_user_total_idx ON orders (user_id, total DESC);
            CREATE TABLE "Odd ""Name"".x" (line text);
            CREATE TABLE empty_one (id int PRIMARY KEY, ref bigint REFERENCES orders (id));
            CREATE SCHEMA "Other";
            CREATE TABLE "Other".items (id int PRIMARY KEY, order_id bigint REFERENCES orders (id), label text);
            CREATE INDEX items_label_idx ON "Other".items (lower(label));
            -- Keys built as unique indexes first where pg_dump's text allows it, as written where not.
            CREATE TABLE pairs (a int, b int, c int, PRIMARY KEY (a, b) INCLUDE (c), UNIQUE (b, a) DEFERRABLE,
                UNIQUE (c, a));
            CREATE TABLE "Key ""Odd"" t" ("A b" int, CONSTRAINT "K ""q"" u" UNIQUE ("A b"));
            -- Foreign keys: checked after an unchecked add, several on one table, one on its own table.
            CREATE TABLE staff (id int PRIMARY KEY, boss int REFERENCES staff (id));
            CREATE TABLE notes (id int, order_id bigint, user_id bigint,
                CONSTRAINT notes_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
                    ON DELETE CASCADE DEFERRABLE);
            CREATE TABLE events (id int, at date NOT NULL, order_id bigint REFERENCES orders (id)) PARTITION BY RANGE (at);
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE INDEX events_at_idx ON events (at);
            CREATE FUNCTION tricky() RETURNS text LANGUAGE sql AS $body$ SELECT '
            --
            -- Data for Name: fake; Type: TABLE DATA; Schema: public; Owner: -
            --
            ' $body$;
            COMMENT ON TABLE users IS 'it''s
            --
            -- Name: fake_index; Type: INDEX; Schema: public; Owner: -
            --
            ';
            CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
            CREATE UNIQUE INDEX order_totals_user ON order_totals (user_id);
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
            """;

    private static final String DATA = """
            INSERT INTO users (email, note) SELECT 'user' || g || '@example.com', repeat('x', g % 300)
              FROM generate_series(1, 20000) g;
            INSERT INTO users (email, note) VALUES ('a@b', E'two\\nlines'), ('c@d', '--'), ('e@f', E'\\\\.'),
              ('g@h', 'COPY public.users (id) FROM stdin;'), ('i@j', '-- Name: x; Type: TABLE DATA; Schema: public; Owner: -');
            INSERT INTO orders (user_id, total, body) SELECT 1 + g % 20000, g, jsonb_build_object('n', g, 'pad', repeat('y', 200))
              FROM generate_series(1, 40000) g;
            INSERT INTO "Odd ""Name"".x" VALUES ('--'), ('\\.'), ('-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -'), ('');
            INSERT INTO "Other".items SELECT g, g, 'Label ' || g FROM generate_series(1, 5000) g;
            INSERT INTO pairs SELECT g, g + 1, g FROM generate_series(1, 1000) g;
            INSERT INTO "Key ""Odd"" t" VALUES (1), (2);
            INSERT INTO events SELECT g, DATE '2025-06-01' + g % 400, 1 + g % 40000 FROM generate_series(1, 8000) g;
            REFRESH MATERIALIZED VIEW order_totals;
            INSERT INTO staff VALUES (1, NULL), (2, 1), (3, 2);
            INSERT INTO notes SELECT g, 1 + g % 40000, CASE WHEN g = 7 THEN 999999 ELSE 1 + g % 20000 END
              FROM generate_series(1, 3000) g;
            -- A key never checked against the rows it has (one breaks it): it stays unchecked.
            ALTER TABLE notes ADD CONSTRAINT notes_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
            SELECT setval('users_id_seq', 90000);
            """;

    private static EmbeddedPostgres pg;
    private static String dump;

    @BeforeAll
    static void source() throws Exception {
        pg = PostgresResource.server();
        recreate("load_source");
        try (Connection c = pg.connect("load_source"); Statement s = c.createStatement()) {
            s.execute(SCHEMA);
            s.execute(DATA);
        }
        dump = pgDump("load_source", "--no-owner", "--no-privileges");
    }

    @Test
    void loadsWhatPsqlLoadsOverSeveralSessions() throws Exception {
        Map<String, Long> expected = new TreeMap<>(Map.ofEntries(Map.entry("public.users", 20005L),
                Map.entry("public.orders", 40000L), Map.entry("public.Odd \"Name\".x", 4L),
                Map.entry("public.empty_one", 0L), Map.entry("Other.items", 5000L),
                Map.entry("public.events_2025", 4280L), Map.entry("public.events_2026", 3720L),
                Map.entry("public.pairs", 1000L), Map.entry("public.Key \"Odd\" t", 2L),
                Map.entry("public.staff", 3L), Map.entry("public.notes", 3000L)));
        loadsAsPsql(dump, expected);
        // Without partitions, foreign keys are added in parallel too.
        expected.keySet().removeIf(table -> table.startsWith("public.events"));
        loadsAsPsql(pgDump("load_source", "--no-owner", "--no-privileges", "--exclude-table=events*"), expected);
    }

    private static void loadsAsPsql(String text, Map<String, Long> expected) throws Exception {
        recreate("load_psql");
        run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "load_psql"), text);
        recreate("load_parallel");
        AtomicInteger tables = new AtomicInteger();
        Map<String, Long> rows = new PlainLoad(() -> psql("load_parallel"), () -> pg.connect("load_parallel"), 3, tables::set, new PhaseTimer()).load(stream(text), () -> { });

        assertEquals(schemaOf("load_psql"), schemaOf("load_parallel"));
        assertEquals(dataOf("load_psql"), dataOf("load_parallel"));
        assertEquals(expected, new TreeMap<>(rows));
        assertEquals(expected, counts("load_parallel", expected.keySet()));
        assertEquals(expected.size(), tables.get());
    }

    /**
     * A directory archive tarred with its table of contents first loads as it streams: the same
     * schema and rows as pg_restore's own restore of the archive. Tarred the other way round, or
     * missing a data file, it does not pass as whole.
     */
    @Test
    void aDirectoryArchiveLoadsAsItStreams(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("dump");
        pgDump("load_source", "--format", "directory", "--compress", "0", "--file", dump.toString());
        List<String> dataFiles;
        try (var list = Files.list(dump)) {
            dataFiles = list.map(f -> "dump/" + f.getFileName()).filter(f -> !f.endsWith("/toc.dat")).sorted().toList();
        }
        recreate("load_archive_reference");
        run(List.of("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-h", pg.host(),
                "-p", Integer.toString(pg.port()), "-U", EmbeddedPostgres.SUPERUSER, "-d", "load_archive_reference",
                dump.toString()), null);

        List<String> tocFirst = new ArrayList<>(List.of("dump/toc.dat"));
        tocFirst.addAll(dataFiles);
        recreate("load_archive");
        Map<String, Long> rows;
        try (InputStream tar = tar(dir, "first.tar", tocFirst)) {
            ArchiveScript script = ArchiveScript.open(tar, Files.createDirectory(dir.resolve("work")), "pg_restore")
                    .orElseThrow();
            rows = new PlainLoad(() -> psql("load_archive"), () -> pg.connect("load_archive"), 3, n -> { },
                    new PhaseTimer()).load(script, () -> { });
        }
        assertEquals(schemaOf("load_archive_reference"), schemaOf("load_archive"));
        assertEquals(dataOf("load_archive_reference"), dataOf("load_archive"));
        assertEquals(counts("load_archive", rows.keySet()), new TreeMap<>(rows));
        assertEquals(20005L, rows.get("public.users"));

        // Tarred before the table of contents came first: extracted whole, for pg_restore.
        List<String> tocLast = new ArrayList<>(dataFiles);
        tocLast.add("dump/toc.dat");
        Path extracted = Files.createDirectory(dir.resolve("extracted"));
        try (InputStream tar = tar(dir, "last.tar", tocLast)) {
            assertTrue(ArchiveScript.open(tar, extracted, "pg_restore").isEmpty());
        }
        for (String file : tocLast) {
            assertEquals(-1L, Files.mismatch(dir.resolve(file), extracted.resolve(file)), file);
        }

        // A data file missing: the load stops, naming it, and does not pass as whole.
        List<String> cut = new ArrayList<>(tocFirst);
        String missing = cut.remove(cut.size() - 1);
        recreate("load_archive_cut");
        IOException failure = assertThrows(IOException.class, () -> {
            try (InputStream tar = tar(dir, "cut.tar", cut)) {
                ArchiveScript script = ArchiveScript.open(tar, Files.createDirectory(dir.resolve("work-cut")),
                        "pg_restore").orElseThrow();
                new PlainLoad(() -> psql("load_archive_cut"), () -> pg.connect("load_archive_cut"), 2, n -> { },
                        new PhaseTimer()).load(script, () -> { });
            }
        });
        assertTrue(failure.getMessage().contains(missing.substring("dump/".length())), failure.getMessage());
    }

    /** A tar of {@code files} (relative to {@code dir}) in that order, as a stream. */
    private static InputStream tar(Path dir, String name, List<String> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("tar", "--format=ustar", "-cf", dir.resolve(name).toString(),
                "-C", dir.toString()));
        command.addAll(files);
        run(command, null);
        return Files.newInputStream(dir.resolve(name));
    }

    @Test
    void largeObjectsAndInsertStatementsLoadInOrder() throws Exception {
        recreate("load_lo_source");
        try (Connection c = pg.connect("load_lo_source"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE docs (id int PRIMARY KEY, body oid)");
            s.execute("INSERT INTO docs SELECT g, lo_from_bytea(0, convert_to(repeat('doc ' || g, 1000), 'UTF8'))"
                    + " FROM generate_series(1, 5) g");
            s.execute("CREATE TABLE later (id int PRIMARY KEY REFERENCES docs (id))");
            s.execute("INSERT INTO later SELECT generate_series(1, 5)");
        }
        for (String variant : List.of("large objects", "inserts")) {
            String text = variant.equals("inserts") ? pgDump("load_lo_source", "--no-owner", "--inserts")
                    : pgDump("load_lo_source", "--no-owner");
            recreate("load_lo_psql");
            run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "load_lo_psql"), text);
            recreate("load_lo_parallel");
            new PlainLoad(() -> psql("load_lo_parallel"), () -> pg.connect("load_lo_parallel"), 2, n -> { }, new PhaseTimer()).load(stream(text), () -> { });
            assertEquals(schemaOf("load_lo_psql"), schemaOf("load_lo_parallel"), variant);
            assertEquals(dataOf("load_lo_psql"), dataOf("load_lo_parallel"), variant);
        }
    }

    @Test
    void aStatementThatFailsStopsTheLoadWithPsqlsMessage() {
        String broken = dump.replace("CREATE INDEX orders_user_idx ON public.orders USING btree (user_id);",
                "CREATE INDEX orders_user_idx ON public.orders USING btree (no_such_column);");
        assertTrue(!broken.equals(dump));
        assertLoadFails(broken, "column \"no_such_column\" does not exist");
    }

    @Test
    void aRowBreakingAForeignKeyStopsTheLoad() {
        String checked = dump.replace("REFERENCES public.users(id) NOT VALID;", "REFERENCES public.users(id);");
        assertTrue(!checked.equals(dump));
        assertLoadFails(checked, "violates foreign key constraint \"notes_user_fk\"");
    }

    @Test
    void aBadRowStopsTheLoadWithPsqlsMessage() {
        int at = dump.indexOf("COPY public.orders ");
        int row = dump.indexOf('\n', at) + 1;
        assertLoadFails(dump.substring(0, row) + "1\t1\tnot-a-number\t{}\n" + dump.substring(row),
                "invalid input syntax for type integer");
    }

    /** Loading {@code text} over three sessions fails within two minutes, saying {@code why}. */
    private static void assertLoadFails(String text, String why) {
        RestoreEngine.RestoreFailure failure = assertThrows(RestoreEngine.RestoreFailure.class, () ->
                assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                    recreate("load_broken");
                    new PlainLoad(() -> psql("load_broken"), () -> pg.connect("load_broken"), 3, n -> { }, new PhaseTimer()).load(stream(text), () -> { });
                }));
        assertTrue(failure.getMessage().contains(why), failure.getMessage());
    }

    @Test
    void aTruncatedDumpFailsAndSaysSo() {
        String truncated = dump.substring(0, dump.indexOf("COPY public.orders ") + 5000);
        IOException failure = assertThrows(IOException.class, () ->
                assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                    recreate("load_truncated");
                    new PlainLoad(() -> psql("load_truncated"), () -> pg.connect("load_truncated"), 2, n -> { }, new PhaseTimer()).load(stream(truncated), () -> { });
                }));
        assertTrue(failure.getMessage().contains("truncated"), failure.getMessage());
    }

    @Test
    void theInputCheckRunsBeforeIndexesAreBuilt() throws Exception {
        RestoreEngine.RestoreFailure failure = assertThrows(RestoreEngine.RestoreFailure.class, () -> {
            recreate("load_checked");
            new PlainLoad(() -> psql("load_checked"), () -> pg.connect("load_checked"), 2, n -> { }, new PhaseTimer()).load(stream(dump), () -> {
                throw new RestoreEngine.RestoreFailure("Checksum mismatch");
            });
        });
        assertEquals("Checksum mismatch", failure.getMessage());
        assertEquals(0, indexCount("load_checked"));
    }

    @Test
    void rowsInAnotherEncodingLoadAsTheyWere() throws Exception {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            for (String db : List.of("load_latin1_source", "load_latin1_parallel")) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + db + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
            }
        }
        try (Connection c = pg.connect("load_latin1_source"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE names (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO names VALUES (1, 'Zoë'), (2, 'Ångström'), (3, 'façade')");
        }
        Path file = Files.createTempFile("latin1", ".sql");
        try {
            Process dump = new ProcessBuilder("pg_dump", "-h", pg.host(), "-p", Integer.toString(pg.port()),
                    "-U", EmbeddedPostgres.SUPERUSER, "-d", "load_latin1_source", "--no-owner")
                    .redirectOutput(file.toFile()).start();
            assertEquals(0, dump.waitFor());
            byte[] text = Files.readAllBytes(file);
            assertTrue(new String(text, StandardCharsets.ISO_8859_1).contains("SET client_encoding = 'LATIN1';"));
            new PlainLoad(() -> psql("load_latin1_parallel"), () -> pg.connect("load_latin1_parallel"), 2, n -> { },
                    new PhaseTimer()).load(new ByteArrayInputStream(text), () -> { });
        } finally {
            Files.delete(file);
        }
        try (Connection c = pg.connect("load_latin1_parallel"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(name, ',' ORDER BY id) FROM names")) {
            rs.next();
            assertEquals("Zoë,Ångström,façade", rs.getString(1));
        }
    }

    private static Process psql(String database) throws IOException {
        ProcessBuilder b = new ProcessBuilder("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", pg.host(),
                "-p", Integer.toString(pg.port()), "-U", EmbeddedPostgres.SUPERUSER, "-d", database);
        return b.start();
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void recreate(String database) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    private static String pgDump(String database, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("pg_dump", "-h", pg.host(), "-p", Integer.toString(pg.port()),
                "-U", EmbeddedPostgres.SUPERUSER, "-d", database));
        command.addAll(List.of(options));
        return run(command, null);
    }

    /** pg_dump's schema, without the lines that differ from dump to dump. */
    private static String schemaOf(String database) throws Exception {
        return withoutKeys(pgDump(database, "--schema-only", "--no-owner"));
    }

    /** pg_dump's data, lines sorted: rows may land in another physical order. */
    private static List<String> dataOf(String database) throws Exception {
        List<String> lines = new ArrayList<>(List.of(withoutKeys(pgDump(database, "--data-only")).split("\n")));
        lines.sort(null);
        return lines;
    }

    private static String withoutKeys(String text) {
        return text.replaceAll("(?m)^\\\\(un)?restrict .*$", "");
    }

    private static Map<String, Long> counts(String database, Iterable<String> tables) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            for (String table : tables) {
                int dot = table.indexOf('.');
                String name = "\"" + table.substring(0, dot) + "\".\"" + table.substring(dot + 1).replace("\"", "\"\"") + "\"";
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + name)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static int indexCount(String database) throws Exception {
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String run(List<String> command, String input) throws Exception {
        Path out = Files.createTempFile("plain-load", ".out");
        try {
            List<String> full = new ArrayList<>(command);
            if (full.get(0).equals("psql")) {
                full.addAll(List.of("-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", EmbeddedPostgres.SUPERUSER));
            }
            Process p = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (var stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            assertEquals(0, p.waitFor(), String.join(" ", command));
            return Files.readString(out);
        } finally {
            Files.delete(out);
        }
    }
}
