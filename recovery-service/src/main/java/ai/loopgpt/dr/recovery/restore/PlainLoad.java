package ai.loopgpt.dr.recovery.restore;

import static ai.loopgpt.dr.common.dump.CopyStatements.IDENTIFIER;
import static ai.loopgpt.dr.common.dump.CopyStatements.QUALIFIED;
import static ai.loopgpt.dr.common.dump.CopyStatements.tableKey;

import ai.loopgpt.dr.common.dump.CopyStatements;
import ai.loopgpt.dr.common.dump.SqlLexer;
import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.process.PhaseTimer;
import ai.loopgpt.dr.common.process.StderrTail;
import ai.loopgpt.dr.recovery.restore.DumpReader.RowBlock;
import ai.loopgpt.dr.recovery.restore.RestoreEngine.RestoreFailure;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Loads a plain pg_dump script over several psql sessions, the way {@code pg_restore --jobs}
 * loads an archive: the schema on one session; then the rows of every table, cut into blocks of
 * whole rows that all sessions copy at once (each block is read from the stream once, memory
 * stays at a few blocks); then primary keys, unique constraints and indexes in parallel, then
 * foreign keys in parallel (two statements never touch the same table at once, so they cannot
 * deadlock); then everything else in the dump's own order on one session.
 *
 * <p>The rows go over a JDBC connection beside each psql session (COPY ... FROM STDIN, in the
 * dump's encoding), the statements through psql. Each statement commits on its own: the caller
 * loads into a staging database and drops it if anything fails. The rows each table received are
 * the server's own counts, from the results of the COPY statements; a table without rows sends none.
 *
 * <p>What this does not know how to share out (large objects, data as INSERT statements, anything
 * unexpected in the data section) makes the rest of the script run in order on one session, as
 * psql alone would run it.
 */
final class PlainLoad {

    /** Starts one psql session on the staging database, stdin and stdout piped. */
    interface SessionStarter {
        Process start() throws IOException;
    }

    /**
     * Opens one connection to the staging database, with the sessions' settings: the rows go to
     * the server over it (COPY through JDBC: no psql in between, one copy of each byte less).
     */
    interface CopyConnector {
        Connection connect() throws SQLException;
    }

    /** Runs at a point of the load: once the tables exist, once the whole script was read. */
    interface Hook {
        void run() throws Exception;
    }

    /** Blocks stay below G1's humongous size (half a 1 MB region): cheap to allocate and collect. */
    private static final int BLOCK_BYTES = 256 << 10;
    /** An entry's header line (after a "--" line): its name and its type. */
    static final Pattern HEADER = Pattern.compile("^-- (?:Data for )?Name: (.*); Type: (.*?); Schema: .*$");
    private static final Pattern CONSTRAINT_TABLE = Pattern.compile("^\\s*ALTER TABLE ONLY " + QUALIFIED + "\\s");
    private static final Pattern INDEX_TABLE = Pattern.compile(
            "^\\s*CREATE (?:UNIQUE )?INDEX " + IDENTIFIER + " ON (?:ONLY )?" + QUALIFIED + " USING ");
    private static final Pattern FOREIGN_KEY = Pattern.compile(
            "^\\s*ALTER TABLE ONLY " + QUALIFIED + "\\s+ADD CONSTRAINT (" + IDENTIFIER
                    + ") FOREIGN KEY \\([^)]*\\) REFERENCES " + QUALIFIED + "\\(", Pattern.DOTALL);
    private static final Pattern KEY = Pattern.compile("^ALTER TABLE ONLY " + QUALIFIED + "\\s+ADD CONSTRAINT ("
            + IDENTIFIER + ") (PRIMARY KEY|UNIQUE) \\(([^()]*)\\);\\s*$");
    private static final Pattern CLIENT_ENCODING = Pattern.compile("^SET client_encoding = '([^']+)';$");
    private static final Pattern SESSION_SETTING = Pattern.compile(
            "^SET (default_tablespace|default_table_access_method) = .*;$");

    private enum Stage { PREAMBLE, SCHEMA, DATA, POST_DATA, SERIAL }

    private final SessionStarter starter;
    private final CopyConnector copyConnector;
    private final int sessionCount;
    private final IntConsumer tableLoaded;
    private final PhaseTimer timer;
    private final String barrierToken = "loopgpt-dr-sync " + UUID.randomUUID();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final List<Session> sessions = new ArrayList<>();
    /** The settings pg_dump changes between entries, as last set: replayed where entries move. */
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, Long> rows = new HashMap<>();
    /** psql's "\\unrestrict" line ending the script: sent last, after everything else. */
    private String trailer = "";
    /** Bytes of rows per table, read by the reader thread: which post-data statements go first. */
    private final Map<String, Long> dataBytes = new HashMap<>();
    private boolean partitioned;
    /** The dump's session settings (row_security, ...), for the COPY connections. */
    private final List<String> copySettings = new ArrayList<>();
    private String copyEncoding = "UTF8";

    /**
     * @param sessions how many psql sessions load at once
     * @param tableLoaded told of each table whose rows were all read (for progress)
     * @param timer ends the phases "schema", "data" (up to the end of the input and its check),
     *     "indexes" (keys and indexes), "foreign-keys" and "post-data" (the rest)
     */
    PlainLoad(SessionStarter starter, CopyConnector copyConnector, int sessions, IntConsumer tableLoaded,
            PhaseTimer timer) {
        this.starter = starter;
        this.copyConnector = copyConnector;
        this.sessionCount = Math.max(1, sessions);
        this.tableLoaded = tableLoaded;
        this.timer = timer;
    }

    /**
     * Loads {@code script}, calling {@code endOfInput} once it has been read to its end.
     *
     * @return the rows each table received, as {@code schema.table}
     */
    Map<String, Long> load(InputStream script, Hook endOfInput) throws Exception {
        return load(script, () -> { }, endOfInput);
    }

    /**
     * Loads {@code script}, calling {@code schemaLoaded} once its tables exist, before their rows
     * (not at all if it has none), and {@code endOfInput} once it has been read to its end.
     *
     * @return the rows each table received, as {@code schema.table}
     */
    Map<String, Long> load(InputStream script, Hook schemaLoaded, Hook endOfInput) throws Exception {
        try {
            run(new DumpReader(script), schemaLoaded, endOfInput);
            for (Session s : sessions) {
                s.finish();
            }
            timer.end("post-data");
            return rows;
        } catch (Exception e) {
            // A session that failed first explains what was seen here; read before the sessions
            // are stopped, since stopping them makes them fail too.
            Exception first = failure.get();
            sessions.forEach(Session::kill);
            throw first != null ? first : e;
        } catch (Error e) {
            sessions.forEach(Session::kill);
            throw e;
        }
    }

    private void run(DumpReader reader, Hook schemaLoaded, Hook endOfInput) throws Exception {
        SqlLexer lexer = new SqlLexer();
        Stage stage = Stage.PREAMBLE;
        StringBuilder preamble = new StringBuilder();
        StringBuilder entry = null; // the entry being read, in the data and post-data sections
        String entryType = null;
        List<Entry> postData = new ArrayList<>();
        DataPhase data = null;
        Session first = null;
        String dashes = null; // a "--" line that may open an entry header
        String line;
        while ((line = reader.readLine()) != null) {
            if (stage == Stage.SERIAL) {
                first.write(line + "\n");
                continue;
            }
            // An entry starts with "--", "-- Name: x; Type: T; Schema: s; Owner: o", "--", outside any statement.
            if (line.equals("--") && lexer.atTopLevel()) {
                if (dashes != null) {
                    keep(stage, dashes, preamble, entry, first);
                }
                dashes = line;
                continue;
            }
            Matcher header = dashes != null ? HEADER.matcher(line) : null;
            if (header != null && header.matches()) {
                String type = header.group(2);
                String headerText = dashes + "\n" + line + "\n";
                dashes = null;
                if (stage == Stage.PREAMBLE) {
                    startSessions(preamble.toString());
                    first = sessions.get(0);
                    stage = Stage.SCHEMA;
                }
                if (stage == Stage.DATA && "SEQUENCE SET".equals(entryType)) {
                    data.sql(entry.toString());
                } else if (stage == Stage.POST_DATA) {
                    postData.add(new Entry(entryType, entry.toString()));
                }
                entry = null;
                entryType = type;
                if (stage == Stage.SCHEMA && isData(type)) {
                    first.barrier();
                    schemaLoaded.run();
                    timer.end("schema");
                    data = new DataPhase();
                    Failpoints.pause("restore.load.data");
                    stage = Stage.DATA;
                } else if (stage == Stage.DATA && !isData(type)) {
                    data.finish();
                    stage = Stage.POST_DATA;
                }
                if (stage == Stage.DATA && !type.equals("TABLE DATA") && !type.equals("SEQUENCE SET")) {
                    // Large objects: their statements share state (open descriptors); the rest runs in order.
                    data.finish();
                    stage = Stage.SERIAL;
                    first.write(settingsText() + headerText);
                } else if (stage == Stage.DATA || stage == Stage.POST_DATA) {
                    entry = new StringBuilder(settingsText()).append(headerText);
                } else {
                    first.write(headerText);
                }
                continue;
            }
            if (dashes != null) {
                keep(stage, dashes, preamble, entry, first);
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
                    data.copy(reader, line, copied.get());
                    continue;
                }
                if (!isBlank(line)) {
                    // Rows as INSERT statements, or something else this does not share out: the rest runs in order.
                    data.finish();
                    stage = Stage.SERIAL;
                    first.write(entry + line + "\n");
                    continue;
                }
            }
            if (stage == Stage.POST_DATA && topLevel && line.startsWith("\\unrestrict ")) {
                // Not part of the last entry: that entry may run on any session, in any order.
                trailer = line + "\n";
                continue;
            }
            lexer.scan(line);
            keep(stage, line, preamble, entry, first);
        }
        if (dashes != null && stage != Stage.SERIAL) {
            keep(stage, dashes, preamble, entry, first);
        }
        switch (stage) {
            case PREAMBLE -> {
                startSessions(preamble.toString());
                first = sessions.get(0);
            }
            case DATA -> {
                if ("SEQUENCE SET".equals(entryType)) {
                    data.sql(entry.toString());
                }
                data.finish();
            }
            case POST_DATA -> postData.add(new Entry(entryType, entry.toString()));
            default -> {
                // Everything was sent already.
            }
        }
        endOfInput.run();
        timer.end("data");
        Failpoints.pause("restore.load.indexes");
        runPostData(postData, first);
    }

    /** Sends or keeps one line where the stage says. */
    private static void keep(Stage stage, String line, StringBuilder preamble, StringBuilder entry, Session first)
            throws IOException, RestoreFailure {
        switch (stage) {
            case PREAMBLE -> preamble.append(line).append('\n');
            case SCHEMA, SERIAL -> first.write(line + "\n");
            case DATA, POST_DATA -> entry.append(line).append('\n');
        }
    }

    private static boolean isBlank(String line) {
        return line.isBlank() || line.startsWith("--") || SESSION_SETTING.matcher(line).matches();
    }

    private static boolean isData(String type) {
        return type.equals("TABLE DATA") || type.equals("SEQUENCE SET") || type.equals("BLOBS")
                || type.equals("BLOB DATA") || type.equals("LARGE OBJECT DATA");
    }

    private String settingsText() {
        return settings.isEmpty() ? "" : String.join("\n", settings.values()) + "\n";
    }

    private void startSessions(String preamble) throws IOException, RestoreFailure {
        copySettings.clear();
        for (String line : preamble.split("\n")) {
            Matcher encoding = CLIENT_ENCODING.matcher(line);
            if (encoding.matches()) {
                // JDBC speaks UTF8 only: the rows say their encoding in the COPY command instead.
                copyEncoding = encoding.group(1);
            } else if (line.startsWith("SET ") || line.startsWith("SELECT pg_catalog.set_config(")) {
                copySettings.add(line);
            }
        }
        for (int i = 0; i < sessionCount; i++) {
            Session s = new Session(starter.start(), i);
            sessions.add(s);
            // The session settings (encoding, search_path, ...) hold for every session.
            s.write(preamble);
        }
    }

    /**
     * Keys, indexes and foreign keys in parallel; then the rest in order. Keys (primary and
     * unique) first, largest tables first (as pg_restore orders them: the longest builds start
     * at once instead of last), then the other indexes; each foreign key as soon as the keys of
     * both its tables are built, before the builds still waiting.
     *
     * <p>A key built as a unique index is attached to its constraint once no other index is
     * building on its table (the attach waits for an exclusive lock: a session waiting there
     * would idle). A foreign key is added {@code NOT VALID} (a moment's lock on both tables) and
     * then validated, which holds its own table against writes and index builds but lets the
     * table it references be read, built and checked by other foreign keys at once. The
     * constraint ends as pg_dump wrote it, validated.
     */
    private void runPostData(List<Entry> entries, Session first) throws Exception {
        List<Job> keys = new ArrayList<>();
        List<Job> indexes = new ArrayList<>();
        List<Job> attaches = new ArrayList<>();
        List<Job> foreignKeys = new ArrayList<>();
        List<Job> validations = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        for (Entry e : entries) {
            Set<String> tables = e.tables(partitioned);
            long size = tables.stream().mapToLong(t -> dataBytes.getOrDefault(t, 0L)).max().orElse(0);
            if (tables.isEmpty()) {
                rest.append(e.text);
            } else if (e.type.equals("FK CONSTRAINT")) {
                Optional<ForeignKey> split = e.validatedLater();
                Job add = new Job(split.map(ForeignKey::add).orElse(e.text), tables, Role.FOREIGN_KEY, null, size);
                foreignKeys.add(add);
                split.ifPresent(fk -> validations.add(
                        new Job(fk.validate(), Set.of(fk.table()), Role.FOREIGN_KEY, add, size)));
            } else if (e.type.equals("CONSTRAINT")) {
                Optional<KeyAsIndex> asIndex = partitioned ? Optional.empty() : e.asUniqueIndex();
                Job build = new Job(asIndex.map(KeyAsIndex::build).orElse(e.text), tables,
                        asIndex.isPresent() ? Role.SHARED_KEY : Role.KEY, null, size);
                keys.add(build);
                asIndex.ifPresent(key -> attaches.add(new Job(key.attach(), tables, Role.KEY, build, size)));
            } else {
                // CREATE INDEX takes a SHARE lock: several may build on one table at once.
                indexes.add(new Job(e.text, tables, Role.INDEX, null, size));
            }
        }
        Comparator<Job> largestFirst = Comparator.comparingLong(Job::size).reversed();
        List<Job> jobs = new ArrayList<>();
        // Attaches first (a moment each, and the foreign keys wait for them); then a foreign key
        // whose keys are built goes before the builds still waiting: the sooner its check starts,
        // the sooner everything ends.
        for (List<Job> kind : List.of(attaches, foreignKeys, validations, keys, indexes)) {
            kind.sort(largestFirst);
            jobs.addAll(kind);
        }
        // "indexes" ends with the last key or index; "foreign-keys" is the time the keys took after it.
        new Parallel(jobs, () -> timer.end("indexes")).run();
        timer.end("foreign-keys");
        first.write(rest + trailer);
    }

    /** What a post-data job is, for the order and the locks. */
    private enum Role {
        /** A key built as a unique index: shares its table with index builds. */
        SHARED_KEY(true, true),
        /** A key as written, or an attach: its table for itself. */
        KEY(false, true),
        /** CREATE INDEX: shares its table with other index builds. */
        INDEX(true, false),
        /** A foreign key's add or validation: waits for the keys of its tables. */
        FOREIGN_KEY(false, false);

        final boolean shared;
        final boolean key;

        Role(boolean shared, boolean key) {
            this.shared = shared;
            this.key = key;
        }
    }

    /**
     * A post-data statement run in parallel, and the tables it locks: shared locks (CREATE INDEX)
     * let others of their kind run on the same table, the rest lock it for themselves. A job with
     * an {@code after} job starts once that one is done.
     */
    private record Job(String text, Set<String> tables, Role role, Job after, long size) {
    }

    /** A key in two steps: its unique index built, then attached to the constraint. */
    private record KeyAsIndex(String build, String attach) {
    }

    /** A foreign key in two steps: added unchecked, then validated; {@code table} is the one it constrains. */
    private record ForeignKey(String add, String validate, String table) {
    }

    /** One entry of the post-data section. */
    private record Entry(String type, String text) {

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
                if (!isBlank(l)) {
                    sql.append(l).append('\n');
                }
            }
            return sql.toString();
        }
    }

    /** Runs jobs on all sessions, in their order, never two whose locks conflict at once. */
    private final class Parallel {
        private final List<Job> waiting;
        /** Tables locked for one job alone, and how many shared jobs hold the others. */
        private final Set<String> exclusive = new HashSet<>();
        private final Map<String, Integer> shared = new HashMap<>();
        /** Keys not built yet, per table: the foreign keys on it wait for them. */
        private final Map<String, Integer> unbuilt = new HashMap<>();
        private final Set<Job> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        private int keysLeft;
        private final Runnable keysBuilt;

        Parallel(List<Job> jobs, Runnable keysBuilt) {
            this.waiting = new ArrayList<>(jobs);
            this.keysBuilt = keysBuilt;
            for (Job job : jobs) {
                if (job.role != Role.FOREIGN_KEY) {
                    keysLeft++;
                }
                if (job.role.key) {
                    job.tables.forEach(t -> unbuilt.merge(t, 1, Integer::sum));
                }
            }
        }

        void run() throws Exception {
            if (keysLeft == 0) {
                keysBuilt.run();
            }
            if (waiting.isEmpty()) {
                return;
            }
            List<Thread> workers = new ArrayList<>();
            for (Session s : sessions) {
                Thread t = new Thread(() -> work(s), "restore-session-" + s.index);
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                t.join();
            }
            rethrow();
        }

        private void work(Session session) {
            try {
                Job job;
                while ((job = next()) != null) {
                    session.write(job.text);
                    session.barrier();
                    done(job);
                }
            } catch (Exception e) {
                fail(e);
            }
        }

        private synchronized Job next() throws InterruptedException {
            while (!waiting.isEmpty() && failure.get() == null) {
                for (int i = 0; i < waiting.size(); i++) {
                    Job job = waiting.get(i);
                    boolean ready = job.after == null || finished.contains(job.after);
                    boolean free = ready && job.tables.stream().noneMatch(t -> exclusive.contains(t)
                            || !job.role.shared && shared.containsKey(t)
                            || job.role == Role.FOREIGN_KEY && unbuilt.containsKey(t));
                    if (free) {
                        for (String t : job.tables) {
                            if (job.role.shared) {
                                shared.merge(t, 1, Integer::sum);
                            } else {
                                exclusive.add(t);
                            }
                        }
                        return waiting.remove(i);
                    }
                }
                wait(1000);
            }
            return null;
        }

        private synchronized void done(Job job) {
            for (String t : job.tables) {
                if (job.role.shared) {
                    shared.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
                } else {
                    exclusive.remove(t);
                }
                if (job.role.key) {
                    unbuilt.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
                }
            }
            finished.add(job);
            if (job.role != Role.FOREIGN_KEY && --keysLeft == 0) {
                keysBuilt.run();
            }
            notifyAll();
        }
    }

    /** The data section: blocks of rows read here, copied by every session at once. */
    private final class DataPhase {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4 * sessionCount);
        private final List<Thread> workers = new ArrayList<>();
        private final Object end = new Object();
        private int tables;

        DataPhase() {
            for (Session s : sessions) {
                Thread t = new Thread(() -> work(s), "restore-session-" + s.index);
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        }

        void copy(DumpReader reader, String command, String table) throws Exception {
            boolean done = false;
            while (!done) {
                RowBlock block = new RowBlock(table, command, BLOCK_BYTES + (BLOCK_BYTES >> 2));
                done = reader.readRows(block, BLOCK_BYTES);
                dataBytes.merge(table, (long) block.size, Long::sum);
                if (block.rows > 0) {
                    put(block);
                }
            }
            rows.putIfAbsent(table, 0L);
            tableLoaded.accept(++tables);
        }

        void sql(String text) throws Exception {
            put(text);
        }

        void finish() throws Exception {
            for (int i = 0; i < workers.size(); i++) {
                put(end);
            }
            for (Thread t : workers) {
                t.join();
            }
            rethrow();
            for (Session s : sessions) {
                s.countedRows().forEach((table, n) -> rows.merge(table, n, Long::sum));
            }
        }

        private void put(Object item) throws Exception {
            while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        }

        private void work(Session session) {
            try {
                while (true) {
                    Object item = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (failure.get() != null) {
                        return;
                    }
                    if (item == end) {
                        session.endCopy();
                        session.barrier();
                        return;
                    }
                    if (item instanceof RowBlock block) {
                        session.copy(block);
                    } else if (item instanceof String sql) {
                        session.endCopy();
                        session.write(sql);
                    }
                }
            } catch (Exception e) {
                fail(e);
            }
        }
    }

    private void fail(Exception e) {
        if (failure.compareAndSet(null, e)) {
            sessions.forEach(Session::kill);
        }
    }

    private void rethrow() throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** One psql process (what it is sent, the sync marks it prints, its stderr) and its COPY connection. */
    private final class Session {
        private final Process process;
        private final int index;
        private final OutputStream stdin;
        private final StderrTail stderr;
        private final BlockingQueue<String> marks = new ArrayBlockingQueue<>(16);
        /** Rows per table the server reported for this session's COPY over JDBC. */
        private final Map<String, Long> copiedRows = new HashMap<>();
        private Connection copyConnection;
        private CopyIn copyIn;
        private String copying;
        private int barriers;

        Session(Process process, int index) {
            this.process = process;
            this.index = index;
            this.stdin = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
            this.stderr = new StderrTail(process.getErrorStream(), "psql-" + index);
            Thread out = new Thread(this::readOutput, "psql-" + index + "-stdout");
            out.setDaemon(true);
            out.start();
        }

        /** Sync marks say all before them ran. */
        private void readOutput() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(barrierToken)) {
                        marks.put(line);
                    }
                }
            } catch (IOException | InterruptedException ended) {
                // The process is gone; its exit code tells the rest.
            }
            marks.offer("");
        }

        void write(String text) throws RestoreFailure {
            try {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException brokenPipe) {
                throw stopped();
            }
        }

        void copy(RowBlock block) throws RestoreFailure {
            try {
                if (!block.table.equals(copying)) {
                    endCopy();
                    copying = block.table;
                    copyIn = copyApi().copyIn(copyCommand(block.copyCommand));
                }
                copyIn.writeToCopy(block.bytes, 0, block.size);
            } catch (SQLException e) {
                throw copyFailed(e);
            }
        }

        void endCopy() throws RestoreFailure {
            if (copying != null) {
                try {
                    copiedRows.merge(copying, copyIn.endCopy(), Long::sum);
                } catch (SQLException e) {
                    throw copyFailed(e);
                } finally {
                    copying = null;
                    copyIn = null;
                }
            }
        }

        private CopyManager copyApi() throws SQLException {
            if (copyConnection == null) {
                copyConnection = copyConnector.connect();
                try (Statement settings = copyConnection.createStatement()) {
                    for (String setting : copySettings) {
                        settings.execute(setting);
                    }
                }
            }
            return copyConnection.unwrap(PGConnection.class).getCopyAPI();
        }

        /** "COPY t (a, b) FROM stdin;" as JDBC takes it, saying the rows' encoding. */
        private String copyCommand(String command) {
            String sql = command.substring(0, command.length() - 1);
            return "UTF8".equalsIgnoreCase(copyEncoding) ? sql
                    : sql + " WITH (ENCODING '" + copyEncoding.replace("'", "''") + "')";
        }

        private RestoreFailure copyFailed(SQLException e) {
            return new RestoreFailure("COPY into " + copying + " failed: " + e.getMessage());
        }

        /** Returns once the server has run everything sent so far. */
        void barrier() throws IOException, RestoreFailure, InterruptedException {
            String mark = barrierToken + " " + (++barriers);
            write("SELECT '" + mark + "';\n");
            try {
                stdin.flush();
            } catch (IOException brokenPipe) {
                throw stopped();
            }
            String seen = null;
            while (seen == null) {
                seen = marks.poll(1, TimeUnit.SECONDS);
                if (seen == null && !process.isAlive()) {
                    seen = marks.poll(2, TimeUnit.SECONDS);
                    if (seen == null) {
                        throw stopped();
                    }
                }
            }
            if (!seen.equals(mark)) {
                throw stopped();
            }
        }

        /** Rows per table the server reported for this session's COPY statements (once they ended). */
        Map<String, Long> countedRows() {
            Map<String, Long> counted = new HashMap<>(copiedRows);
            copiedRows.clear();
            return counted;
        }

        void finish() throws IOException, RestoreFailure, InterruptedException {
            closeCopyConnection();
            try {
                stdin.close();
            } catch (IOException brokenPipe) {
                throw stopped();
            }
            if (!process.waitFor(6, TimeUnit.HOURS) || process.exitValue() != 0) {
                throw stopped();
            }
        }

        void kill() {
            process.destroyForcibly();
            closeCopyConnection();
        }

        private void closeCopyConnection() {
            Connection c = copyConnection;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException | RuntimeException ignored) {
                    // Gone already: the staging database is dropped if the load failed.
                }
            }
        }

        private RestoreFailure stopped() {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String exit = process.isAlive() ? "still running" : "exit " + process.exitValue();
            return new RestoreFailure("psql failed (" + exit + "): " + stderr.text());
        }
    }
}
