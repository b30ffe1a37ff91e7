package ai.loopgpt.dr.recovery.restore.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.recovery.restore.load.PostDataStatement.ForeignKey;
import ai.loopgpt.dr.recovery.restore.load.PostDataStatement.KeyAsIndex;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a post-data entry of a plain pg_dump script is, and its two-step forms, without a database. */
class PostDataStatementTest {

    /** The header and the replayed setting before each statement, kept in front of every form of it. */
    private static final String PREFIX = "SET default_tablespace = '';\n--\n-- Name: x; Type: T; Schema: public; Owner: -\n--\n\n";

    static PostDataStatement entry(String type, String sql) {
        return new PostDataStatement(type, PREFIX + sql + "\n\n");
    }

    @Test
    void aPrimaryKeyIsBuiltAsAUniqueIndexThenAttached() {
        PostDataStatement key = entry("CONSTRAINT", "ALTER TABLE ONLY public.users\n    ADD CONSTRAINT users_pkey PRIMARY KEY (id);");

        assertTrue(key.isConstraint());
        assertEquals(Set.of("public.users"), key.tables(false));
        assertEquals(new KeyAsIndex(PREFIX + "CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id);\n",
                PREFIX + "ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;\n"),
                key.asUniqueIndex().orElseThrow());
    }

    @Test
    void quotedNamesNameTheCatalogsTable() {
        PostDataStatement key = entry("CONSTRAINT",
                "ALTER TABLE ONLY public.\"Key \"\"Odd\"\" t\"\n    ADD CONSTRAINT \"K \"\"q\"\" u\" UNIQUE (\"A b\");");
        assertEquals(Set.of("public.Key \"Odd\" t"), key.tables(false));
        assertEquals(PREFIX + "CREATE UNIQUE INDEX \"K \"\"q\"\" u\" ON public.\"Key \"\"Odd\"\" t\" USING btree (\"A b\");\n",
                key.asUniqueIndex().orElseThrow().build());

        PostDataStatement index = entry("INDEX", "CREATE INDEX items_label_idx ON \"Other\".items USING btree (lower(label));");
        assertEquals(Set.of("Other.items"), index.tables(false));
    }

    @Test
    void keysThatAUniqueIndexCannotBuildStayAsWritten() {
        for (String sql : new String[] {
                "ALTER TABLE ONLY public.pairs\n    ADD CONSTRAINT pairs_pkey PRIMARY KEY (a, b) INCLUDE (c);",
                "ALTER TABLE ONLY public.pairs\n    ADD CONSTRAINT pairs_b_a_key UNIQUE (b, a) DEFERRABLE;",
                "ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_check CHECK ((a > 0)) NOT VALID;"}) {
            PostDataStatement key = entry("CONSTRAINT", sql);
            assertFalse(key.asUniqueIndex().isPresent(), sql);
            assertEquals(1, key.tables(false).size(), sql);
        }
    }

    @Test
    void aForeignKeyLocksBothTablesAndIsCheckedAfterItsUncheckedAdd() {
        PostDataStatement fk = entry("FK CONSTRAINT", "ALTER TABLE ONLY public.orders\n"
                + "    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);");

        assertTrue(fk.isForeignKey());
        assertEquals(Set.of("public.orders", "public.users"), fk.tables(false));
        assertEquals(new ForeignKey(PREFIX + "ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_user_id_fkey"
                + " FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID;\n",
                PREFIX + "ALTER TABLE ONLY public.orders VALIDATE CONSTRAINT orders_user_id_fkey;\n", "public.orders"),
                fk.validatedLater().orElseThrow());
        // With partitions a foreign key locks more than its text names: it runs in the dump's order.
        assertEquals(Set.of(), fk.tables(true));
    }

    @Test
    void aForeignKeyNotValidInTheDumpStaysSo() {
        PostDataStatement fk = entry("FK CONSTRAINT", "ALTER TABLE public.notes\n"
                + "    ADD CONSTRAINT notes_user_fk FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID;");
        assertFalse(entry("FK CONSTRAINT", "ALTER TABLE ONLY public.notes\n    ADD CONSTRAINT notes_user_fk"
                + " FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID;").validatedLater().isPresent());
        // Without ONLY (a partitioned table's key): not one this can share out.
        assertEquals(Set.of(), fk.tables(false));
    }

    @Test
    void otherEntriesRunInTheDumpsOrder() {
        assertEquals(Set.of(), entry("TRIGGER", "CREATE TRIGGER t BEFORE UPDATE ON public.orders FOR EACH ROW"
                + " EXECUTE FUNCTION public.touch();").tables(false));
        assertEquals(Set.of(), entry("MATERIALIZED VIEW DATA", "REFRESH MATERIALIZED VIEW public.order_totals;")
                .tables(false));
    }
}
