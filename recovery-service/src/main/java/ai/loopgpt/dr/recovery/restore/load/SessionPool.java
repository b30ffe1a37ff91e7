package ai.loopgpt.dr.recovery.restore.load;

import ai.loopgpt.dr.common.process.StderrTail;
import ai.loopgpt.dr.recovery.restore.RestoreEngine.RestoreFailure;
import ai.loopgpt.dr.recovery.restore.load.DumpReader.RowBlock;
import ai.loopgpt.dr.recovery.restore.load.PlainLoad.CopyConnector;
import ai.loopgpt.dr.recovery.restore.load.PlainLoad.SessionStarter;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The sessions of one load on the staging database: each a psql process (statements go to its
 * stdin; sync marks it prints say what has run) and, beside it, a JDBC connection over which the
 * rows stream ({@code COPY ... FROM STDIN} through pgjdbc's copy API, in the dump's encoding, with
 * the dump's session settings). The first session runs what must run in the dump's order.
 */
final class SessionPool {

    private static final Pattern CLIENT_ENCODING = Pattern.compile("^SET client_encoding = '([^']+)';$");

    private final SessionStarter starter;
    private final CopyConnector copyConnector;
    private final int size;
    private final String barrierToken = "loopgpt-dr-sync " + UUID.randomUUID();
    private final List<Session> sessions = new ArrayList<>();
    /** The dump's session settings (row_security, ...), for the COPY connections. */
    private final List<String> copySettings = new ArrayList<>();
    private String copyEncoding = "UTF8";

    SessionPool(SessionStarter starter, CopyConnector copyConnector, int size) {
        this.starter = starter;
        this.copyConnector = copyConnector;
        this.size = Math.max(1, size);
    }

    int size() {
        return size;
    }

    /** Starts every session with the script's {@code preamble} (its encoding, search_path, ...). */
    void start(String preamble) throws IOException, RestoreFailure {
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
        for (int i = 0; i < size; i++) {
            Session s = new Session(starter.start(), i);
            sessions.add(s);
            // The session settings (encoding, search_path, ...) hold for every session.
            s.write(preamble);
        }
    }

    /** The session that runs what must run in the dump's order. */
    Session first() {
        return sessions.get(0);
    }

    List<Session> sessions() {
        return sessions;
    }

    /** Ends every session: its input closed, its process ended well. */
    void finish() throws IOException, RestoreFailure, InterruptedException {
        for (Session s : sessions) {
            s.finish();
        }
    }

    void killAll() {
        sessions.forEach(Session::kill);
    }

    /** One psql process (what it is sent, the sync marks it prints, its stderr) and its COPY connection. */
    final class Session {
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

        int index() {
            return index;
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
