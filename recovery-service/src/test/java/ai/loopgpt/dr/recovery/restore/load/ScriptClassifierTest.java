package ai.loopgpt.dr.recovery.restore.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.recovery.restore.load.DumpReader.RowBlock;
import ai.loopgpt.dr.recovery.restore.load.ScriptClassifier.PostData;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each part of a plain pg_dump script is, without a database: the text is pg_dump's. */
class ScriptClassifierTest {

    private static final String PREAMBLE = """
            --
            -- PostgreSQL database dump
            --

            \\restrict abc

            SET statement_timeout = 0;
            SET client_encoding = 'UTF8';
            SELECT pg_catalog.set_config('search_path', '', false);

            SET default_tablespace = '';

            """;

    private static final String SCHEMA = """
            --
            -- Name: users; Type: TABLE; Schema: public; Owner: -
            --

            CREATE TABLE public.users (
                id bigint NOT NULL,
                email text
            );

            --
            -- Name: tricky(); Type: FUNCTION; Schema: public; Owner: -
            --

            CREATE FUNCTION public.tricky() RETURNS text
                LANGUAGE sql
                AS $_$ SELECT '
            --
            -- Data for Name: fake; Type: TABLE DATA; Schema: public; Owner: -
            --
            ' $_$;

            """;

    private static final String USERS_DATA = """
            --
            -- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
            --

            COPY public.users (id, email) FROM stdin;
            1\ta@b
            2\t--
            3\t-- Name: x; Type: INDEX; Schema: public; Owner: -
            \\.


            """;

    private static final String SEQUENCE = """
            --
            -- Name: users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
            --

            SELECT pg_catalog.setval('public.users_id_seq', 3, true);


            """;

    private static final String POST_DATA = """
            --
            -- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
            --

            ALTER TABLE ONLY public.users
                ADD CONSTRAINT users_pkey PRIMARY KEY (id);


            --
            -- Name: users_email_idx; Type: INDEX; Schema: public; Owner: -
            --

            CREATE INDEX users_email_idx ON public.users USING btree (email);


            --
            -- Name: users users_self_fk; Type: FK CONSTRAINT; Schema: public; Owner: -
            --

            ALTER TABLE ONLY public.users
                ADD CONSTRAINT users_self_fk FOREIGN KEY (id) REFERENCES public.users(id);


            --
            -- PostgreSQL database dump complete
            --

            \\unrestrict abc

            """;

    @Test
    void aScriptIsPreambleSchemaRowsAndPostData() throws Exception {
        Recorder recorder = new Recorder();
        PostData postData = classify(PREAMBLE + SCHEMA + USERS_DATA + SEQUENCE + POST_DATA, recorder);

        assertEquals(List.of("preamble", "in-order", "data-starts", "rows public.users 3", "data-statement",
                "data-ends"), recorder.kinds());
        assertEquals(PREAMBLE, recorder.text("preamble"));
        // The schema, function body and all, in the dump's order; the fake header inside it is text.
        assertEquals(SCHEMA, recorder.text("in-order"));
        assertEquals("1\ta@b\n2\t--\n3\t-- Name: x; Type: INDEX; Schema: public; Owner: -\n", recorder.rows.get(0));
        // An entry that may move carries the settings pg_dump set before it.
        String sequence = recorder.text("data-statement");
        assertTrue(sequence.startsWith("SET default_tablespace = '';\n--\n-- Name: users_id_seq; Type: SEQUENCE SET;"),
                sequence);
        assertTrue(sequence.contains("SELECT pg_catalog.setval('public.users_id_seq', 3, true);"), sequence);

        assertEquals(List.of("CONSTRAINT", "INDEX", "FK CONSTRAINT"),
                postData.entries().stream().map(PostDataStatement::type).toList());
        postData.entries().forEach(e -> assertTrue(e.text().startsWith("SET default_tablespace = '';\n--\n"), e.text()));
        assertTrue(postData.entries().get(2).text().contains("-- PostgreSQL database dump complete"));
        assertEquals("\\unrestrict abc\n", postData.trailer());
        assertFalse(postData.partitioned());
    }

    @Test
    void rowsAsInsertStatementsMakeTheRestRunInOrder() throws Exception {
        String inserts = USERS_DATA.replace("COPY public.users (id, email) FROM stdin;\n1\ta@b\n2\t--\n"
                + "3\t-- Name: x; Type: INDEX; Schema: public; Owner: -\n\\.\n", "INSERT INTO public.users VALUES (1, 'a@b');\n");
        Recorder recorder = new Recorder();
        PostData postData = classify(PREAMBLE + SCHEMA + inserts + SEQUENCE + POST_DATA, recorder);

        assertEquals(List.of("preamble", "in-order", "data-starts", "data-ends", "in-order"), recorder.kinds());
        String inOrder = recorder.events.get(4).text();
        assertTrue(inOrder.startsWith("SET default_tablespace = '';\n--\n-- Data for Name: users; Type: TABLE DATA;"),
                inOrder);
        assertTrue(inOrder.contains("INSERT INTO public.users VALUES (1, 'a@b');\n"));
        assertTrue(inOrder.endsWith(SEQUENCE + POST_DATA), inOrder);
        assertEquals(List.of(), postData.entries());
        assertEquals("", postData.trailer());
    }

    @Test
    void largeObjectsMakeTheRestRunInOrder() throws Exception {
        String blobs = """
                --
                -- Name: BLOBS; Type: BLOBS; Schema: -; Owner: -
                --

                SELECT pg_catalog.lo_open('16390', 131072);
                """;
        Recorder recorder = new Recorder();
        PostData postData = classify(PREAMBLE + SCHEMA + USERS_DATA + blobs + POST_DATA, recorder);

        assertEquals(List.of("preamble", "in-order", "data-starts", "rows public.users 3", "data-ends", "in-order"),
                recorder.kinds());
        assertTrue(recorder.events.get(5).text().startsWith("SET default_tablespace = '';\n--\n-- Name: BLOBS;"));
        assertTrue(recorder.events.get(5).text().endsWith("lo_open('16390', 131072);\n" + POST_DATA));
        assertEquals(List.of(), postData.entries());
    }

    @Test
    void withoutADataSectionAllRunsInOrder() throws Exception {
        String partitioned = SCHEMA.replace("    email text\n);", "    email text\n) PARTITION BY RANGE (id);");
        Recorder recorder = new Recorder();
        PostData postData = classify(PREAMBLE + partitioned + POST_DATA, recorder);

        assertEquals(List.of("preamble", "in-order"), recorder.kinds());
        assertEquals(partitioned + POST_DATA, recorder.text("in-order"));
        assertEquals(List.of(), postData.entries());
        assertTrue(postData.partitioned());
    }

    @Test
    void aScriptWithoutEntriesIsAllPreamble() throws Exception {
        Recorder recorder = new Recorder();
        PostData postData = classify(PREAMBLE + "SELECT 1;\n", recorder);

        assertEquals(List.of("preamble"), recorder.kinds());
        assertEquals(PREAMBLE + "SELECT 1;\n", recorder.text("preamble"));
        assertEquals(List.of(), postData.entries());
    }

    private static PostData classify(String script, Recorder recorder) throws Exception {
        DumpReader reader = new DumpReader(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        return ScriptClassifier.classify(reader, recorder);
    }

    private record Event(String kind, String text) {
    }

    /** Records what the classifier says, consecutive in-order text as one event. */
    private static final class Recorder implements ScriptClassifier.Handler {
        final List<Event> events = new ArrayList<>();
        final List<String> rows = new ArrayList<>();

        List<String> kinds() {
            return events.stream().map(Event::kind).toList();
        }

        String text(String kind) {
            return events.stream().filter(e -> e.kind().equals(kind)).findFirst().orElseThrow().text();
        }

        private void add(String kind, String text) {
            int last = events.size() - 1;
            if (kind.equals("in-order") && last >= 0 && events.get(last).kind().equals(kind)) {
                events.set(last, new Event(kind, events.get(last).text() + text));
            } else {
                events.add(new Event(kind, text));
            }
        }

        @Override
        public void preamble(String text) {
            add("preamble", text);
        }

        @Override
        public void inOrder(String text) {
            add("in-order", text);
        }

        @Override
        public void dataStarts() {
            add("data-starts", "");
        }

        @Override
        public void rows(String table, String copyCommand, DumpReader reader) throws Exception {
            RowBlock block = new RowBlock(table, copyCommand, 16);
            while (!reader.readRows(block, 1 << 20)) {
                // All rows into one block.
            }
            rows.add(new String(block.bytes, 0, block.size, StandardCharsets.UTF_8));
            add("rows " + table + " " + block.rows, copyCommand);
        }

        @Override
        public void dataStatement(String text) {
            add("data-statement", text);
        }

        @Override
        public void dataEnds() {
            add("data-ends", "");
        }
    }
}
