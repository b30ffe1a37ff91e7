package ai.loopgpt.dr.recovery.restore.load;

import static ai.loopgpt.dr.common.dump.CopyStatements.IDENTIFIER;
import static ai.loopgpt.dr.common.dump.CopyStatements.QUALIFIED;
import static ai.loopgpt.dr.common.dump.CopyStatements.tableKey;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a plain script's post-data section, as pg_dump wrote it ({@code type} from its
 * header, {@code text} with its header and the settings replayed before it): what it is (a key,
 * an index, a foreign key, anything else), the tables its statement locks, and the two-step forms
 * in which keys and foreign keys can share their tables.
 */
record PostDataStatement(String type, String text) {

    private static final Pattern CONSTRAINT_TABLE = Pattern.compile("^\\s*ALTER TABLE ONLY " + QUALIFIED + "\\s");
    private static final Pattern INDEX_TABLE = Pattern.compile(
            "^\\s*CREATE (?:UNIQUE )?INDEX " + IDENTIFIER + " ON (?:ONLY )?" + QUALIFIED + " USING ");
    private static final Pattern FOREIGN_KEY = Pattern.compile(
            "^\\s*ALTER TABLE ONLY " + QUALIFIED + "\\s+ADD CONSTRAINT (" + IDENTIFIER
                    + ") FOREIGN KEY \\([^)]*\\) REFERENCES " + QUALIFIED + "\\(", Pattern.DOTALL);
    private static final Pattern KEY = Pattern.compile("^ALTER TABLE ONLY " + QUALIFIED + "\\s+ADD CONSTRAINT ("
            + IDENTIFIER + ") (PRIMARY KEY|UNIQUE) \\(([^()]*)\\);\\s*$");

    /** A key in two steps: its unique index built, then attached to the constraint. */
    record KeyAsIndex(String build, String attach) {
    }

    /** A foreign key in two steps: added unchecked, then validated; {@code table} is the one it constrains. */
    record ForeignKey(String add, String validate, String table) {
    }

    boolean isForeignKey() {
        return type.equals("FK CONSTRAINT");
    }

    /** A primary key, unique or check constraint (foreign keys are {@link #isForeignKey}). */
    boolean isConstraint() {
        return type.equals("CONSTRAINT");
    }

    /** The tables the entry's statement locks, or none if it must run in the dump's order. */
    Set<String> tables(boolean partitioned) {
        String sql = statement();
        Matcher m;
        switch (type) {
            case "CONSTRAINT" -> m = CONSTRAINT_TABLE.matcher(sql);
            case "INDEX" -> m = INDEX_TABLE.matcher(sql);
            case "FK CONSTRAINT" -> {
                // Foreign keys lock both tables; with partitions they lock more than the text names.
                m = FOREIGN_KEY.matcher(sql);
                if (!partitioned && m.lookingAt()) {
                    return new HashSet<>(List.of(tableKey(m.group(1)), tableKey(m.group(3))));
                }
                return Set.of();
            }
            default -> {
                return Set.of();
            }
        }
        return m.lookingAt() ? Set.of(tableKey(m.group(1))) : Set.of();
    }

    /**
     * A primary key or unique constraint as pg_dump writes it, built so that it can share its
     * table: its index first, with CREATE UNIQUE INDEX (a SHARE lock, beside the table's other
     * index builds), then the constraint taking that index (a moment's exclusive lock, no
     * second build). The result is the same constraint on the same index. Anything else (a
     * deferrable key, INCLUDE columns, index settings) is left as written.
     */
    Optional<KeyAsIndex> asUniqueIndex() {
        String sql = statement();
        Matcher m = KEY.matcher(sql.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String table = m.group(1);
        String name = m.group(2);
        String prefix = prefix(sql);
        return Optional.of(new KeyAsIndex(
                prefix + "CREATE UNIQUE INDEX " + name + " ON " + table + " USING btree (" + m.group(4) + ");\n",
                prefix + "ALTER TABLE ONLY " + table + " ADD CONSTRAINT " + name + " " + m.group(3)
                        + " USING INDEX " + name + ";\n"));
    }

    /**
     * A foreign key as pg_dump writes it, added {@code NOT VALID} (no check, a moment's lock)
     * and then validated ({@code VALIDATE CONSTRAINT}: the same check, holding only a
     * SHARE UPDATE EXCLUSIVE lock on its table and ROW SHARE on the one it references). The
     * result is the same validated constraint. A key already {@code NOT VALID} in the dump
     * stays as written.
     */
    Optional<ForeignKey> validatedLater() {
        String sql = statement().strip();
        Matcher m = FOREIGN_KEY.matcher(sql);
        // One statement, ending at the end (a quoted ";" inside: left as written).
        if (!m.lookingAt() || sql.indexOf(';') != sql.length() - 1 || sql.endsWith("NOT VALID;")) {
            return Optional.empty();
        }
        String prefix = prefix(sql);
        return Optional.of(new ForeignKey(prefix + sql.substring(0, sql.length() - 1) + " NOT VALID;\n",
                prefix + "ALTER TABLE ONLY " + m.group(1) + " VALIDATE CONSTRAINT " + m.group(2) + ";\n",
                tableKey(m.group(1))));
    }

    /** The header comment and the settings before the statement {@code sql}. */
    private String prefix(String sql) {
        return text.substring(0, text.indexOf(sql.lines().findFirst().orElseThrow()));
    }

    /** The text after the header comment and the settings. */
    private String statement() {
        StringBuilder sql = new StringBuilder();
        for (String l : text.split("\n")) {
            if (!ScriptClassifier.isBlank(l)) {
                sql.append(l).append('\n');
            }
        }
        return sql.toString();
    }
}
