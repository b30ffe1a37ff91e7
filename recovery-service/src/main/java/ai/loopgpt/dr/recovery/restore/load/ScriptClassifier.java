package ai.loopgpt.dr.recovery.restore.load;

import ai.loopgpt.dr.common.dump.CopyStatements;
import ai.loopgpt.dr.common.dump.SqlLexer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each part of a plain pg_dump script is, read a line at a time: the preamble (the session
 * settings before the first entry), the schema, the rows of each table (a COPY statement and its
 * rows), the other data entries (sequence values), the post-data entries (keys, indexes, foreign
 * keys, the rest), and psql's closing line. What cannot be shared out between sessions (large
 * objects, rows as INSERT statements, anything unexpected in the data section) makes the rest of
 * the script run in its order, as psql alone would run it.
 *
 * <p>An entry starts with pg_dump's header ("--", "-- Name: x; Type: T; Schema: s; Owner: o",
 * "--"), counted only outside strings and function bodies. The settings pg_dump changes between
 * entries ({@code default_tablespace}, {@code default_table_access_method}) are replayed at the
 * head of every entry that may run elsewhere than in the dump's order.
 */
final class ScriptClassifier {

    /** An entry's header line (after a "--" line): its name and its type. */
    static final Pattern HEADER = Pattern.compile("^-- (?:Data for )?Name: (.*); Type: (.*?); Schema: .*$");
    private static final Pattern SESSION_SETTING = Pattern.compile(
            "^SET (default_tablespace|default_table_access_method) = .*;$");

    /** Told what each part of the script is, in the script's order. */
    interface Handler {
        /** The settings before the first entry (the whole script if it has none): first, once. */
        void preamble(String text) throws Exception;

        /** Text to run in the script's order on one session: the schema, and all that follows what cannot be shared out. */
        void inOrder(String text) throws Exception;

        /** The schema was all sent: the data section begins. */
        void dataStarts() throws Exception;

        /** A table's COPY statement; its rows follow in {@code reader}, which the handler reads up to their end line. */
        void rows(String table, String copyCommand, DumpReader reader) throws Exception;

        /** A data entry that is not rows (a sequence's value): after the rows before it, before the post-data. */
        void dataStatement(String text) throws Exception;

        /** The data section ended: the post-data section or what runs in order follows. */
        void dataEnds() throws Exception;
    }

    /**
     * The post-data section, kept until the whole script was read: its entries in the dump's
     * order, whether the schema has partitioned tables, and psql's closing line (sent last).
     */
    record PostData(List<PostDataStatement> entries, boolean partitioned, String trailer) {
    }

    private enum Stage { PREAMBLE, SCHEMA, DATA, POST_DATA, IN_ORDER }

    private final Handler handler;
    private final SqlLexer lexer = new SqlLexer();
    /** The settings pg_dump changes between entries, as last set: replayed where entries move. */
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final StringBuilder preamble = new StringBuilder();
    private final List<PostDataStatement> postData = new ArrayList<>();
    private Stage stage = Stage.PREAMBLE;
    /** The entry being read, in the data and post-data sections, and its type. */
    private StringBuilder entry;
    private String entryType;
    private boolean partitioned;
    /** psql's "\\unrestrict" line ending the script: sent last, after everything else. */
    private String trailer = "";

    private ScriptClassifier(Handler handler) {
        this.handler = handler;
    }

    /** Reads the script to its end, telling {@code handler} what each part is; returns its post-data section. */
    static PostData classify(DumpReader reader, Handler handler) throws Exception {
        ScriptClassifier classifier = new ScriptClassifier(handler);
        classifier.read(reader);
        return new PostData(List.copyOf(classifier.postData), classifier.partitioned, classifier.trailer);
    }

    private void read(DumpReader reader) throws Exception {
        String dashes = null; // a "--" line that may open an entry header
        String line;
        while ((line = reader.readLine()) != null) {
            if (stage == Stage.IN_ORDER) {
                handler.inOrder(line + "\n");
                continue;
            }
            // An entry starts with "--", "-- Name: x; Type: T; Schema: s; Owner: o", "--", outside any statement.
            if (line.equals("--") && lexer.atTopLevel()) {
                if (dashes != null) {
                    keep(dashes);
                }
                dashes = line;
                continue;
            }
            Matcher header = dashes != null ? HEADER.matcher(line) : null;
            if (header != null && header.matches()) {
                entryStarts(header.group(2), dashes + "\n" + line + "\n");
                dashes = null;
                continue;
            }
            if (dashes != null) {
                keep(dashes);
                dashes = null;
            }
            boolean topLevel = lexer.atTopLevel();
            if (topLevel && SESSION_SETTING.matcher(line).matches()) {
                settings.put(line.substring(4, line.indexOf(' ', 4)), line);
            }
            if (line.contains("PARTITION BY ") || line.contains("PARTITION OF ")) {
                partitioned = true;
            }
            if (stage == Stage.DATA && "TABLE DATA".equals(entryType) && topLevel) {
                Optional<String> copied = CopyStatements.table(line);
                if (copied.isPresent()) {
                    handler.rows(copied.get(), line, reader);
                    continue;
                }
                if (!isBlank(line)) {
                    // Rows as INSERT statements, or something else this does not share out: the rest runs in order.
                    handler.dataEnds();
                    stage = Stage.IN_ORDER;
                    handler.inOrder(entry + line + "\n");
                    continue;
                }
            }
            if (stage == Stage.POST_DATA && topLevel && line.startsWith("\\unrestrict ")) {
                // Not part of the last entry: that entry may run on any session, in any order.
                trailer = line + "\n";
                continue;
            }
            lexer.scan(line);
            keep(line);
        }
        if (dashes != null && stage != Stage.IN_ORDER) {
            keep(dashes);
        }
        switch (stage) {
            case PREAMBLE -> handler.preamble(preamble.toString());
            case DATA -> {
                if ("SEQUENCE SET".equals(entryType)) {
                    handler.dataStatement(entry.toString());
                }
                handler.dataEnds();
            }
            case POST_DATA -> postData.add(new PostDataStatement(entryType, entry.toString()));
            default -> {
                // Everything was sent already.
            }
        }
    }

    /** An entry's header was read: the entry before it is complete, and the stage may change. */
    private void entryStarts(String type, String headerText) throws Exception {
        if (stage == Stage.PREAMBLE) {
            handler.preamble(preamble.toString());
            stage = Stage.SCHEMA;
        }
        if (stage == Stage.DATA && "SEQUENCE SET".equals(entryType)) {
            handler.dataStatement(entry.toString());
        } else if (stage == Stage.POST_DATA) {
            postData.add(new PostDataStatement(entryType, entry.toString()));
        }
        entry = null;
        entryType = type;
        if (stage == Stage.SCHEMA && isData(type)) {
            handler.dataStarts();
            stage = Stage.DATA;
        } else if (stage == Stage.DATA && !isData(type)) {
            handler.dataEnds();
            stage = Stage.POST_DATA;
        }
        if (stage == Stage.DATA && !type.equals("TABLE DATA") && !type.equals("SEQUENCE SET")) {
            // Large objects: their statements share state (open descriptors); the rest runs in order.
            handler.dataEnds();
            stage = Stage.IN_ORDER;
            handler.inOrder(settingsText() + headerText);
        } else if (stage == Stage.DATA || stage == Stage.POST_DATA) {
            entry = new StringBuilder(settingsText()).append(headerText);
        } else {
            handler.inOrder(headerText);
        }
    }

    /** Sends or keeps one line where the stage says. */
    private void keep(String line) throws Exception {
        switch (stage) {
            case PREAMBLE -> preamble.append(line).append('\n');
            case SCHEMA, IN_ORDER -> handler.inOrder(line + "\n");
            case DATA, POST_DATA -> entry.append(line).append('\n');
        }
    }

    private String settingsText() {
        return settings.isEmpty() ? "" : String.join("\n", settings.values()) + "\n";
    }

    /** A line that is no statement: empty, a comment, or a setting pg_dump changes between entries. */
    static boolean isBlank(String line) {
        return line.isBlank() || line.startsWith("--") || SESSION_SETTING.matcher(line).matches();
    }

    private static boolean isData(String type) {
        return type.equals("TABLE DATA") || type.equals("SEQUENCE SET") || type.equals("BLOBS")
                || type.equals("BLOB DATA") || type.equals("LARGE OBJECT DATA");
    }
}
