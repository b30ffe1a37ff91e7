package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.stream.PgOutputMessage.Column;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Delete;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Insert;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Relation;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Truncate;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Tuple;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Update;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes the changes of a {@code pgoutput} stream as SQL statements that {@code psql} can replay,
 * each on exactly one line: identifiers always quoted, values as literals in their text form (the
 * server converts them to the column's type, as it does for pg_dump's INSERTs), line breaks and
 * backslashes in {@code E''} escapes. Rows are found again by their replica identity: the key
 * columns (primary key or the chosen index) or, for identity full, every column of the old row.
 */
public final class ChangeSql {

    /**
     * The session settings values are written and compared in: the stream is decoded with them and
     * every replay sets them first, so a value's text means the same on both sides (and identity
     * full's text comparison matches).
     */
    public static final List<String> SETTINGS = List.of(
            "SET client_encoding = 'UTF8';",
            "SET standard_conforming_strings = on;",
            "SET TimeZone = 'UTC';",
            "SET DateStyle = 'ISO, YMD';",
            "SET IntervalStyle = 'postgres';",
            "SET extra_float_digits = 3;",
            "SET bytea_output = 'hex';");

    private final Map<Integer, Relation> relations = new HashMap<>();

    /** Remembers the shape of a table; later changes to it are written with these columns. */
    public void relation(Relation relation) {
        relations.put(relation.oid(), relation);
    }

    /** The table a change names; a change before its table's shape is a broken stream. */
    public Relation relation(int oid) {
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw new IllegalStateException("a change to relation " + oid + " came before its Relation message");
        }
        return relation;
    }

    public String insert(Insert insert) {
        Relation relation = relation(insert.relationOid());
        List<Value> values = values(relation, insert.row());
        StringJoiner names = new StringJoiner(",", "(", ")");
        StringJoiner literals = new StringJoiner(",", "(", ")");
        for (int i = 0; i < values.size(); i++) {
            Value value = values.get(i);
            if (value.kind() == Value.Kind.UNCHANGED) {
                throw new IllegalStateException("an insert into " + relation.displayName() + " without the value of "
                        + relation.columns().get(i).name());
            }
            names.add(identifier(relation.columns().get(i).name()));
            literals.add(literal(value));
        }
        return "INSERT INTO " + relation.qualifiedName() + " " + names + " VALUES " + literals + ";";
    }

    /** The UPDATE, or null when it changed only values the stream does not carry (unchanged TOAST). */
    public String update(Update update) {
        Relation relation = relation(update.relationOid());
        List<Value> values = values(relation, update.row());
        StringJoiner set = new StringJoiner(",");
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).kind() != Value.Kind.UNCHANGED) {
                set.add(identifier(relation.columns().get(i).name()) + "=" + literal(values.get(i)));
            }
        }
        if (set.length() == 0) {
            return null;
        }
        String where = update.old() != null ? wholeRow(relation, update.old())
                : keyColumns(relation, update.key() != null ? update.key() : update.row());
        return "UPDATE " + relation.qualifiedName() + " SET " + set + " WHERE " + where + ";";
    }

    public String delete(Delete delete) {
        Relation relation = relation(delete.relationOid());
        String where = delete.old() != null ? wholeRow(relation, delete.old()) : keyColumns(relation, delete.key());
        return "DELETE FROM " + relation.qualifiedName() + " WHERE " + where + ";";
    }

    /** One TRUNCATE of every table the origin truncated together (a cascade lists them all). */
    public String truncate(Truncate truncate) {
        StringJoiner tables = new StringJoiner(", ", "TRUNCATE ONLY ", ";");
        for (int oid : truncate.relationOids()) {
            tables.add(relation(oid).qualifiedName());
        }
        return tables.toString();
    }

    private static List<Value> values(Relation relation, Tuple tuple) {
        if (tuple.values().size() != relation.columns().size()) {
            throw new IllegalStateException("a row of " + tuple.values().size() + " columns for "
                    + relation.displayName() + ", which has " + relation.columns().size());
        }
        return tuple.values();
    }

    private static String keyColumns(Relation relation, Tuple tuple) {
        List<Value> values = values(relation, tuple);
        StringJoiner where = new StringJoiner(" AND ");
        for (int i = 0; i < values.size(); i++) {
            Column column = relation.columns().get(i);
            if (column.key()) {
                Value value = values.get(i);
                if (value.kind() != Value.Kind.TEXT) {
                    throw new IllegalStateException("key column " + column.name() + " of " + relation.displayName()
                            + " has no value in the stream");
                }
                where.add(identifier(column.name()) + "=" + literal(value));
            }
        }
        if (where.length() == 0) {
            throw new IllegalStateException(relation.displayName()
                    + " has no replica identity: its updates and deletes cannot be found again");
        }
        return where.toString();
    }

    /**
     * Identity full: the first row equal to the old one in every column sent (compared as text, so
     * types without an equality operator work too); duplicates are interchangeable.
     */
    private static String wholeRow(Relation relation, Tuple old) {
        List<Value> values = values(relation, old);
        StringJoiner match = new StringJoiner(" AND ");
        for (int i = 0; i < values.size(); i++) {
            Value value = values.get(i);
            String column = identifier(relation.columns().get(i).name());
            switch (value.kind()) {
                case NULL -> match.add(column + " IS NULL");
                case TEXT -> match.add(column + "::text=" + literal(value.text()));
                case UNCHANGED -> { }
            }
        }
        return "ctid=(SELECT ctid FROM " + relation.qualifiedName() + " WHERE " + match + " LIMIT 1)";
    }

    /** {@code "name"}, quotes doubled; a name with a line break in the {@code U&""} form, so it stays on one line. */
    public static String identifier(String name) {
        String quoted = name.replace("\"", "\"\"");
        if (name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
            return "\"" + quoted + "\"";
        }
        return "U&\"" + quoted.replace("\\", "\\\\").replace("\n", "\\000A").replace("\r", "\\000D") + "\"";
    }

    static String literal(Value value) {
        return value.kind() == Value.Kind.NULL ? "NULL" : literal(value.text());
    }

    /** A string literal on one line: {@code 'it''s'}, or {@code E'a\nb'} when it holds a line break or a backslash. */
    public static String literal(String text) {
        boolean escaped = false;
        for (int i = 0; i < text.length() && !escaped; i++) {
            char c = text.charAt(i);
            escaped = c == '\n' || c == '\r' || c == '\\';
        }
        if (!escaped) {
            return "'" + text.replace("'", "''") + "'";
        }
        StringBuilder literal = new StringBuilder(text.length() + 8).append("E'");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> literal.append("\\\\");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\'' -> literal.append("''");
                default -> literal.append(c);
            }
        }
        return literal.append('\'').toString();
    }
}
