package ai.loopgpt.dr.backup.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.loopgpt.dr.backup.stream.PgOutputMessage.Column;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Delete;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Insert;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Relation;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Truncate;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Tuple;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Update;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Value;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChangeSqlTest {

    static final Relation ORDERS = new Relation(16400, "public", "orders", 'd', List.of(
            new Column("id", 20, -1, true), new Column("status", 25, -1, false), new Column("note", 25, -1, false)));
    static final Relation EVENTS = new Relation(16410, "audit", "Event \"log\"", 'f', List.of(
            new Column("at", 1184, -1, false), new Column("body", 3802, -1, false)));

    final ChangeSql sql = new ChangeSql();

    ChangeSqlTest() {
        sql.relation(ORDERS);
        sql.relation(EVENTS);
    }

    static Tuple row(String... texts) {
        return new Tuple(Arrays.stream(texts).map(t -> t == null ? Value.NULL
                : t.equals("<unchanged>") ? Value.UNCHANGED : new Value(Value.Kind.TEXT, t)).toList());
    }

    @Test
    void anInsertNamesEveryColumnAndQuotesEveryValue() {
        assertEquals("INSERT INTO \"public\".\"orders\" (\"id\",\"status\",\"note\") VALUES ('5','new',NULL);",
                sql.insert(new Insert(16400, row("5", "new", null))));
    }

    @Test
    void anUpdateSetsWhatWasSentAndFindsTheRowByItsKey() {
        assertEquals("UPDATE \"public\".\"orders\" SET \"id\"='5',\"status\"='paid' WHERE \"id\"='5';",
                sql.update(new Update(16400, null, null, row("5", "paid", "<unchanged>"))));
        // The key itself changed: the old key finds the row.
        assertEquals("UPDATE \"public\".\"orders\" SET \"id\"='6',\"status\"='paid',\"note\"='x' WHERE \"id\"='5';",
                sql.update(new Update(16400, row("5", null, null), null, row("6", "paid", "x"))));
        // Nothing but unchanged TOASTed values besides the key: nothing to write.
        assertNull(sql.update(new Update(16400, null, null, new Tuple(List.of(Value.UNCHANGED, Value.UNCHANGED,
                Value.UNCHANGED)))));
    }

    @Test
    void withIdentityFullTheWholeOldRowFindsOneRow() {
        assertEquals("DELETE FROM \"audit\".\"Event \"\"log\"\"\" WHERE ctid=(SELECT ctid FROM \"audit\".\"Event \"\"log\"\"\""
                        + " WHERE \"at\"::text='2026-12-06 05:47:13+00' AND \"body\" IS NULL LIMIT 1);",
                sql.delete(new Delete(16410, null, row("2026-12-06 05:47:13+00", null))));
    }

    @Test
    void aDeleteFindsTheRowByItsKey() {
        assertEquals("DELETE FROM \"public\".\"orders\" WHERE \"id\"='5';",
                sql.delete(new Delete(16400, row("5", null, null), null)));
    }

    @Test
    void aTruncateNamesEveryTableTruncatedTogether() {
        assertEquals("TRUNCATE ONLY \"public\".\"orders\", \"audit\".\"Event \"\"log\"\"\";",
                sql.truncate(new Truncate(List.of(16400, 16410), true, false)));
    }

    @Test
    void aChangeBeforeItsTablesShapeIsABrokenStream() {
        assertThrows(IllegalStateException.class, () -> sql.insert(new Insert(99, row("1"))));
        assertThrows(IllegalStateException.class, () -> sql.insert(new Insert(16400, row("1", "too few"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "plain | 'plain'",
        "it's | 'it''s'",
        "C:\\path | E'C:\\\\path'",
        "tab\there | 'tab\there'",
        "ünïcødé ✓ | 'ünïcødé ✓'",
    })
    void literalsStayOnOneLine(String text, String literal) {
        assertEquals(literal, ChangeSql.literal(text));
    }

    @Test
    void lineBreaksAreEscaped() {
        assertEquals("E'two\\nlines\\r, it''s'", ChangeSql.literal("two\nlines\r, it's"));
        assertEquals("U&\"odd\\000Aname\"", ChangeSql.identifier("odd\nname"));
    }
}
