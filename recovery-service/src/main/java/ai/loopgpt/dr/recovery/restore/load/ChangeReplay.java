package ai.loopgpt.dr.recovery.restore.load;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.io.Sha256InputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Replays a streamed target's change segments, in order, onto its restored base, up to a time: the
 * same transactions, in the same order, as {@code gunzip -c | awk | psql} by hand, and checked as it
 * goes. Each segment is read to a local file and its SHA-256 compared with its manifest's before any
 * of its SQL runs; the commit LSNs of its transactions must rise, within the range its manifest
 * states (a transaction at or below the last one applied, held by an earlier segment too, is skipped:
 * never applied twice); a whole segment must hold the transactions its manifest counts. It stops at the first transaction committed after the time, as
 * the awk cut does: what is applied is a prefix of the origin's commit order, a state it really had.
 *
 * <p>In bulk: one database transaction per segment rather than one per origin transaction (the
 * staging database is dropped on any failure, so origin boundaries need not be kept), statements
 * sent 500 at a time as one script (one round trip, parsed by the server at once) rather than one
 * by one. The session is the caller's, set up so that triggers do not fire again (the origin's
 * triggers already wrote what they wrote, and it is in the stream).
 */
public final class ChangeReplay {

    private static final int BATCH = 500;
    private static final int BATCH_CHARS = 4 << 20;

    /** A segment to replay: where it is, its checksum, the commit LSNs of its first and last transaction. */
    public record Segment(String objectKey, String sha256, long firstLsn, long lastLsn, int transactions) {
    }

    /** Opens a segment's object (from S3). */
    @FunctionalInterface
    public interface Objects {
        InputStream open(String key) throws IOException;
    }

    /** What a replay reached: the last transaction applied (its commit time and LSN), and how many. */
    public record Reached(int segments, long transactions, long statements, Instant commitTime, long lsn) {
    }

    /** A segment that does not replay as its manifest says, or a statement the server refused. */
    public static final class ReplayFailure extends Exception {
        public ReplayFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Objects objects;
    private final Connection session;
    private final String stopAfter;
    private long lastLsn;
    private Instant lastCommitTime;
    private long transactions;
    private long statements;

    /**
     * Replays onto {@code session} (auto-commit off, its triggers kept quiet by the caller) the changes up
     * to {@code toTime}. (The segments of a chain hold only what was committed after its base's snapshot.)
     */
    public ChangeReplay(Objects objects, Connection session, Instant toTime) {
        this.objects = objects;
        this.session = session;
        this.stopAfter = ChangeSegmentFormat.commitTime(toTime);
    }

    /** Replays {@code segments} in order; {@code progress} hears of each one applied. */
    public Reached replay(List<Segment> segments, java.util.function.IntConsumer progress)
            throws IOException, SQLException, ReplayFailure {
        int applied = 0;
        for (Segment segment : segments) {
            if (segment.lastLsn() <= lastLsn) {
                continue; // all of it applied already (or in the base)
            }
            boolean stopped = apply(segment);
            applied++;
            progress.accept(applied);
            if (stopped) {
                break;
            }
        }
        return new Reached(applied, transactions, statements, lastCommitTime, lastLsn);
    }

    /**
     * Applies one segment and commits it; true if it stopped at a transaction committed after the time.
     * The object is read into a local file and its checksum checked before any of its SQL runs.
     */
    private boolean apply(Segment segment) throws IOException, SQLException, ReplayFailure {
        String where = "change segment s3://…/" + segment.objectKey();
        Path local = Files.createTempFile("segment-", ".sql.gz");
        try {
            try (InputStream object = objects.open(segment.objectKey());
                    Sha256InputStream hashed = new Sha256InputStream(object)) {
                Files.copy(hashed, local, StandardCopyOption.REPLACE_EXISTING);
                if (!hashed.sha256().equals(segment.sha256())) {
                    throw new ReplayFailure("Checksum mismatch: the " + where + " has SHA-256 " + hashed.sha256()
                            + " but its manifest says " + segment.sha256() + ". It was altered or damaged; the "
                            + "destination was not touched.");
                }
            }
            return replay(local, segment, where);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    private boolean replay(Path local, Segment segment, String where) throws IOException, SQLException, ReplayFailure {
        int seen = 0;
        boolean stopped = false;
        boolean skipping = false;
        long txnLsn = 0;
        long previousInSegment = -1;
        Instant txnTime = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(local), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            if (!ChangeSegmentFormat.FIRST_LINE.equals(lines.readLine())) {
                throw new ReplayFailure("The " + where + " does not start with '" + ChangeSegmentFormat.FIRST_LINE
                        + "': it is not a change segment this version can replay.");
            }
            StringBuilder batch = new StringBuilder();
            int pending = 0;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(ChangeSegmentFormat.TRANSACTION_HEADER)) {
                    String[] header = line.split(" ");
                    if (header.length < 4) {
                        throw new ReplayFailure("The " + where + " has a damaged transaction header: " + line);
                    }
                    if (header[2].compareTo(stopAfter) > 0) {
                        stopped = true;
                        break;
                    }
                    txnLsn = ChangeSegmentFormat.parseLsn(header[3]);
                    txnTime = Instant.parse(header[2]);
                    // In commit order, within the range its manifest states.
                    if (txnLsn <= previousInSegment || txnLsn < segment.firstLsn() || txnLsn > segment.lastLsn()) {
                        throw new ReplayFailure("The " + where + " holds a transaction at LSN " + ChangeSegmentFormat.lsn(txnLsn)
                                + " out of order or outside its manifest's " + ChangeSegmentFormat.lsn(segment.firstLsn()) + " .. "
                                + ChangeSegmentFormat.lsn(segment.lastLsn()) + ".");
                    }
                    previousInSegment = txnLsn;
                    // Already applied (an earlier segment held it too): never twice.
                    skipping = txnLsn <= lastLsn;
                    seen++;
                } else if (line.equals("COMMIT;")) {
                    if (!skipping) {
                        transactions++;
                        lastLsn = txnLsn;
                        lastCommitTime = txnTime;
                    }
                } else if (!skipping && !line.isEmpty() && !line.startsWith("--") && !line.equals("BEGIN;")
                        && !line.startsWith("SET session_replication_role")) {
                    batch.append(line).append('\n');
                    statements++;
                    if (++pending == BATCH || batch.length() > BATCH_CHARS) {
                        execute(session, batch, where);
                        pending = 0;
                    }
                }
            }
            execute(session, batch, where);
        }
        if (!stopped && (seen != segment.transactions() || previousInSegment != segment.lastLsn())) {
            throw new ReplayFailure("The " + where + " holds " + seen + " transactions up to LSN "
                    + ChangeSegmentFormat.lsn(Math.max(previousInSegment, 0)) + " but its manifest says " + segment.transactions()
                    + " up to " + ChangeSegmentFormat.lsn(segment.lastLsn()) + ".");
        }
        session.commit();
        Failpoints.pause("restore.replayed-segment");
        return stopped;
    }

    /** Sends the statements of {@code batch} as one script (one round trip), then empties it. */
    private static void execute(Connection session, StringBuilder batch, String where) throws SQLException, ReplayFailure {
        if (batch.isEmpty()) {
            return;
        }
        try (Statement statement = session.createStatement()) {
            statement.execute(batch.toString());
        } catch (SQLException e) {
            // The server's own words without its detail, which may quote row values.
            org.postgresql.util.ServerErrorMessage server = e instanceof org.postgresql.util.PSQLException p
                    ? p.getServerErrorMessage() : null;
            throw new ReplayFailure("Replaying the " + where + " failed: " + (server != null
                    ? server.getMessage() + " (SQLSTATE " + server.getSQLState() + ")" : e.getMessage()));
        }
        batch.setLength(0);
    }
}
