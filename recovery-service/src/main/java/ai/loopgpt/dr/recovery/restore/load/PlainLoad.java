package ai.loopgpt.dr.recovery.restore.load;

import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.process.PhaseTimer;
import ai.loopgpt.dr.recovery.restore.load.LoadScheduler.DataSection;
import ai.loopgpt.dr.recovery.restore.load.LoadScheduler.Plan;
import ai.loopgpt.dr.recovery.restore.load.ScriptClassifier.PostData;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

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
 *
 * <p>The parts: {@link ScriptClassifier} says what each part of the script is ({@link
 * PostDataStatement} for the post-data entries), {@link SessionPool} holds the sessions and
 * streams the rows, {@link LoadScheduler} decides what runs where and when, and stops everything
 * at the first failure.
 */
public final class PlainLoad {

    /** Starts one psql session on the staging database, stdin and stdout piped. */
    public interface SessionStarter {
        Process start() throws IOException;
    }

    /**
     * Opens one connection to the staging database, with the sessions' settings: the rows go to
     * the server over it (COPY through JDBC: no psql in between, one copy of each byte less).
     */
    public interface CopyConnector {
        Connection connect() throws SQLException;
    }

    /** Runs at a point of the load: once the tables exist, once the whole script was read. */
    public interface Hook {
        void run() throws Exception;
    }

    private final SessionPool pool;
    private final LoadScheduler scheduler;
    private final IntConsumer tableLoaded;
    private final PhaseTimer timer;
    private final Map<String, Long> rows = new HashMap<>();
    /** Bytes of rows per table, read by the reader thread: which post-data statements go first. */
    private final Map<String, Long> dataBytes = new HashMap<>();

    /**
     * @param sessions how many psql sessions load at once
     * @param tableLoaded told of each table whose rows were all read (for progress)
     * @param timer ends the phases "schema", "data" (up to the end of the input and its check),
     *     "indexes" (keys and indexes), "foreign-keys" and "post-data" (the rest)
     */
    public PlainLoad(SessionStarter starter, CopyConnector copyConnector, int sessions, IntConsumer tableLoaded,
            PhaseTimer timer) {
        this.pool = new SessionPool(starter, copyConnector, sessions);
        this.scheduler = new LoadScheduler(pool);
        this.tableLoaded = tableLoaded;
        this.timer = timer;
    }

    /**
     * Loads {@code script}, calling {@code endOfInput} once it has been read to its end.
     *
     * @return the rows each table received, as {@code schema.table}
     */
    public Map<String, Long> load(InputStream script, Hook endOfInput) throws Exception {
        return load(script, () -> { }, endOfInput);
    }

    /**
     * Loads {@code script}, calling {@code schemaLoaded} once its tables exist, before their rows
     * (not at all if it has none), and {@code endOfInput} once it has been read to its end.
     *
     * @return the rows each table received, as {@code schema.table}
     */
    public Map<String, Long> load(InputStream script, Hook schemaLoaded, Hook endOfInput) throws Exception {
        try {
            run(new DumpReader(script), schemaLoaded, endOfInput);
            pool.finish();
            timer.end("post-data");
            return rows;
        } catch (Exception e) {
            // A session that failed first explains what was seen here; read before the sessions
            // are stopped, since stopping them makes them fail too.
            Exception first = scheduler.firstFailure().orElse(e);
            pool.killAll();
            throw first;
        } catch (Error e) {
            pool.killAll();
            throw e;
        }
    }

    private void run(DumpReader reader, Hook schemaLoaded, Hook endOfInput) throws Exception {
        PostData postData = ScriptClassifier.classify(reader, new ScriptClassifier.Handler() {
            private DataSection data;

            @Override
            public void preamble(String text) throws Exception {
                pool.start(text);
            }

            @Override
            public void inOrder(String text) throws Exception {
                pool.first().write(text);
            }

            @Override
            public void dataStarts() throws Exception {
                pool.first().barrier();
                schemaLoaded.run();
                timer.end("schema");
                data = scheduler.startData(rows, dataBytes, tableLoaded);
                Failpoints.pause("restore.load.data");
            }

            @Override
            public void rows(String table, String copyCommand, DumpReader rowReader) throws Exception {
                data.copy(rowReader, copyCommand, table);
            }

            @Override
            public void dataStatement(String text) throws Exception {
                data.sql(text);
            }

            @Override
            public void dataEnds() throws Exception {
                data.finish();
            }
        });
        endOfInput.run();
        timer.end("data");
        Failpoints.pause("restore.load.indexes");
        Plan plan = LoadScheduler.plan(postData, dataBytes);
        // "indexes" ends with the last key or index; "foreign-keys" is the time the keys took after it.
        scheduler.runPostData(plan.jobs(), () -> timer.end("indexes"));
        timer.end("foreign-keys");
        pool.first().write(plan.inOrder());
    }
}
