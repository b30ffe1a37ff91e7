package ai.loopgpt.dr.common.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CopyRowCounterTest {

    /** A plain dump's shape, with text that looks like COPY blocks where none is. */
    private static final String DUMP = """
            SET client_encoding = 'UTF8';
            CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT '
            COPY public.fake (a) FROM stdin;
            \\.
            ' $body$;
            COMMENT ON TABLE public.users IS E'it\\'s
            COPY public.fake (a) FROM stdin;
            ';

            COPY public.users (id, note) FROM stdin;
            1\t--
            2\tCOPY public.fake (a) FROM stdin;
            3\t\\\\.
            4\ttwo\\nlines
            \\.

            COPY "Other"."Odd ""Name"".x" (line) FROM stdin;
            \\.

            COPY public.orders (id) FROM stdin;
            1
            2
            \\.

            CREATE INDEX orders_idx ON public.orders USING btree (id);
            """;

    @Test
    void countsTheRowsOfEachCopyBlockInAnyCut() {
        byte[] bytes = DUMP.getBytes(StandardCharsets.UTF_8);
        Map<String, Long> expected = Map.of("public.users", 4L, "Other.Odd \"Name\".x", 0L, "public.orders", 2L);
        for (int cut = 1; cut <= 17; cut++) {
            CopyRowCounter counter = new CopyRowCounter();
            for (int i = 0; i < bytes.length; i += cut) {
                counter.update(bytes, i, Math.min(cut, bytes.length - i));
            }
            assertEquals(expected, counter.rows(), "fed " + cut + " bytes at a time");
            assertFalse(counter.insideRows());
        }
    }

    @Test
    void aScriptCutInsideRowsSaysSo() {
        CopyRowCounter counter = new CopyRowCounter();
        byte[] bytes = DUMP.substring(0, DUMP.indexOf("2\tCOPY")).getBytes(StandardCharsets.UTF_8);
        counter.update(bytes, 0, bytes.length);
        assertTrue(counter.insideRows());
        assertEquals(Map.of(), counter.rows());
    }

    @Test
    void theLexerKnowsWhenALineStartsOutsideAnyStatementText() {
        SqlLexer lexer = new SqlLexer();
        lexer.scan("CREATE FUNCTION f() RETURNS text AS $x$ SELECT 'a");
        assertFalse(lexer.atTopLevel());
        lexer.scan("$$ still inside $x$;");
        assertTrue(lexer.atTopLevel());
        lexer.scan("COMMENT ON TABLE t IS E'it\\'s");
        assertFalse(lexer.atTopLevel());
        lexer.scan("'; SELECT \"a\"\"b\" /* x /* y */");
        assertFalse(lexer.atTopLevel());
        lexer.scan("*/ SELECT $1, a$b$ -- '");
        assertTrue(lexer.atTopLevel());
        lexer.scan("SELECT 'it''s', \"x\"");
        assertTrue(lexer.atTopLevel());
    }

    @Test
    void tableNamesAreTheCatalogsNames() {
        assertEquals("public.Odd \"Name\".x", CopyStatements.tableKey("public.\"Odd \"\"Name\"\".x\""));
        assertEquals("Other.items", CopyStatements.tableKey("\"Other\".items"));
        assertEquals("public.users", CopyStatements.table("COPY public.users (id, email) FROM stdin;").orElseThrow());
        assertEquals("public.t", CopyStatements.table("COPY public.t  FROM stdin;").orElse("public.t"));
        assertTrue(CopyStatements.table("COPY public.users TO stdout;").isEmpty());
    }
}
