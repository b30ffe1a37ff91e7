package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.stream.PgOutputMessage.Begin;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Commit;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Delete;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Insert;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Relation;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Truncate;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Update;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Turns a slot's change stream into change segments: transactions in commit order, a segment sealed
 * once its first transaction is {@code segmentAge} old or its text {@code segmentMaxBytes} long (never
 * inside a transaction), handed to the {@link SegmentStore}, and only then confirmed to the server.
 *
 * <p>So a crash anywhere loses nothing: the server sends again every transaction after the confirmed
 * position. And nothing is written twice: a transaction whose commit is at or before the last durable
 * one ({@code durableCommitLsn}, read back from the store at start) is skipped.
 */
public final class ChangeStreamer {

    /** Where sealed segments go; {@link #store} returns once the segment is durable. */
    @FunctionalInterface
    public interface SegmentStore {
        void store(Path file, ChangeSegment.Sealed segment) throws Exception;
    }

    /** The current values of the target's sequences ({@code "schema"."name"} → value), read at each seal. */
    @FunctionalInterface
    public interface Sequences {
        Map<String, Long> read() throws Exception;
    }

    /**
     * How an idle stream shows it holds everything up to a time: {@link #probe} reads the server's WAL
     * insert position and clock; once the stream has received WAL up to that position with nothing
     * pending, every transaction committed before that time is durable, and {@link #caughtUp} hears it.
     */
    public interface Watermark {
        /** The server's WAL insert position ({@code lsn}) and its clock ({@code time}) at one moment. */
        record Probe(long lsn, Instant time) {}

        /** A probe, or null when none can be taken now. */
        Probe probe() throws Exception;

        void caughtUp(Instant time) throws Exception;
    }

    /** Where the stream stands: the commit LSN of the last durable transaction and the end LSN after it. */
    public record Position(long durableCommitLsn, long endLsn) {}

    /**
     * A transaction changed a table whose shape the base does not have (an ALTER TABLE, a new table):
     * the segments end before it, since its SQL would not replay on the base.
     */
    public static final class SchemaChanged extends Exception {
        private final String relation;
        private final Instant commitTime;

        SchemaChanged(String relation, Instant commitTime) {
            super("the shape of " + relation + " changed in the transaction committed at " + commitTime);
            this.relation = relation;
            this.commitTime = commitTime;
        }

        public String relation() {
            return relation;
        }

        public Instant commitTime() {
            return commitTime;
        }
    }

    private final PGReplicationStream stream;
    private final SegmentStore store;
    private final Sequences sequences;
    private final String description;
    private final Duration segmentAge;
    private final long segmentMaxBytes;
    private final Path workDirectory;
    private final Clock clock;
    private final ChangeSql sql = new ChangeSql();
    private final Map<Integer, Relation> baseShapes;
    private Instant transactionCommitTime;
    private Position position;
    private ChangeSegment segment;
    private Instant segmentStarted;
    private boolean skipping;
    private Watermark watermark;
    private Duration probeEvery;
    private Watermark.Probe probe;
    private Instant nextProbe = Instant.MIN;

    /** {@code baseShapes}: the tables as the base has them, by oid (null: shapes are not checked). */
    public ChangeStreamer(PGReplicationStream stream, Position position, SegmentStore store, Sequences sequences,
            String description, Duration segmentAge, long segmentMaxBytes, Path workDirectory, Clock clock,
            Map<Integer, Relation> baseShapes) {
        this.baseShapes = baseShapes;
        this.stream = stream;
        this.position = position;
        this.store = store;
        this.sequences = sequences;
        this.description = description;
        this.segmentAge = segmentAge;
        this.segmentMaxBytes = segmentMaxBytes;
        this.workDirectory = workDirectory;
        this.clock = clock;
    }

    /** While idle, probes the server every {@code every} and reports to {@code watermark} how far the stream holds all. */
    public ChangeStreamer watching(Watermark watermark, Duration every) {
        this.watermark = watermark;
        this.probeEvery = every;
        return this;
    }

    /**
     * Streams until {@code stop} says so or the stream fails. {@code stop} is asked between
     * transactions (at least every 50 ms while idle); the segment then holding whole transactions is
     * sealed and stored before returning.
     */
    public void run(BooleanSupplier stop) throws Exception {
        try {
            while ((segment != null && segment.inTransaction()) || !stop.getAsBoolean()) {
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    idle();
                    Thread.sleep(20);
                    continue;
                }
                // pgjdbc hands the whole CopyData array; the message starts at its offset.
                byte[] bytes = message.array();
                handle(PgOutputDecoder.decode(ByteBuffer.wrap(bytes, message.arrayOffset(),
                        bytes.length - message.arrayOffset()).slice()));
            }
            if (segment != null && !segment.inTransaction() && !segment.isEmpty()) {
                seal();
            }
        } finally {
            if (segment != null) {
                segment.close();
            }
        }
    }

    public Position position() {
        return position;
    }

    private void handle(PgOutputMessage message) throws Exception {
        if (message instanceof Begin begin) {
            skipping = begin.commitLsn() <= position.durableCommitLsn();
            transactionCommitTime = begin.commitTime();
            if (!skipping) {
                if (segment == null) {
                    segment = new ChangeSegment(workDirectory, position.endLsn());
                    segmentStarted = clock.instant();
                }
                segment.begin(begin);
            }
        } else if (message instanceof Commit commit) {
            if (!skipping) {
                segment.commit(commit);
                if (due()) {
                    seal();
                }
            }
            skipping = false;
        } else if (message instanceof Relation relation) {
            if (!skipping && baseShapes != null && !sameShape(baseShapes.get(relation.oid()), relation)) {
                endBefore();
                throw new SchemaChanged(relation.displayName(), transactionCommitTime);
            }
            sql.relation(relation);
        } else if (!skipping) {
            if (message instanceof Insert insert) {
                segment.change(sql.relation(insert.relationOid()).displayName(), sql.insert(insert));
            } else if (message instanceof Update update) {
                String statement = sql.update(update);
                if (statement != null) {
                    segment.change(sql.relation(update.relationOid()).displayName(), statement);
                }
            } else if (message instanceof Delete delete) {
                segment.change(sql.relation(delete.relationOid()).displayName(), sql.delete(delete));
            } else if (message instanceof Truncate truncate) {
                segment.change(sql.relation(truncate.relationOids().get(0)).displayName(), sql.truncate(truncate));
            }
        }
    }

    /** The segment ends with the last whole transaction before the one in progress, which is dropped. */
    private void endBefore() throws Exception {
        if (segment == null) {
            return;
        }
        segment.abandonTransaction();
        if (segment.isEmpty()) {
            segment.close();
            segment = null;
        } else {
            seal();
        }
    }

    /** Same table, same columns (name, type and modifier, in order) as pgoutput describes them. */
    static boolean sameShape(Relation base, Relation streamed) {
        if (base == null || !base.namespace().equals(streamed.namespace()) || !base.name().equals(streamed.name())
                || base.columns().size() != streamed.columns().size()) {
            return false;
        }
        for (int i = 0; i < base.columns().size(); i++) {
            var a = base.columns().get(i);
            var b = streamed.columns().get(i);
            if (!a.name().equals(b.name()) || a.typeOid() != b.typeOid() || a.typeModifier() != b.typeModifier()) {
                return false;
            }
        }
        return true;
    }

    private boolean due() {
        return segment != null && !segment.inTransaction() && !segment.isEmpty()
                && (segment.bodyBytes() >= segmentMaxBytes
                        || !clock.instant().isBefore(segmentStarted.plus(segmentAge)));
    }

    /** Nothing to read: seal a segment that is due; with nothing pending, let the slot move on. */
    private void idle() throws Exception {
        if (due()) {
            seal();
        } else if (segment == null && !skipping) {
            // Every transaction received is durable (or was before): what the server sent since, WAL
            // of other databases and keepalives, need not be kept for this slot.
            LogSequenceNumber received = stream.getLastReceiveLSN();
            if (received.asLong() > stream.getLastFlushedLSN().asLong()) {
                stream.setFlushedLSN(received);
                stream.setAppliedLSN(received);
            }
            watch(received.asLong());
        }
    }

    /**
     * With nothing pending: a probe whose position the stream has passed means every transaction
     * committed before its time was received, and so is durable (or was skipped as already durable).
     */
    private void watch(long received) throws Exception {
        if (watermark == null) {
            return;
        }
        if (probe != null && received >= probe.lsn()) {
            watermark.caughtUp(probe.time());
            probe = null;
        }
        Instant now = clock.instant();
        if (probe == null && !now.isBefore(nextProbe)) {
            probe = watermark.probe(); // null: none this time (a transaction was in flight)
            nextProbe = now.plus(probeEvery);
        }
    }

    private void seal() throws Exception {
        Path file = Files.createTempFile(workDirectory, "segment-", ".sql.gz");
        try {
            ChangeSegment.Sealed sealed = segment.seal(file, description, sequences.read());
            store.store(file, sealed);
            position = new Position(sealed.lastLsn(), sealed.endLsn());
            LogSequenceNumber confirmed = LogSequenceNumber.valueOf(sealed.endLsn());
            stream.setFlushedLSN(confirmed);
            stream.setAppliedLSN(confirmed);
            stream.forceUpdateStatus();
        } finally {
            segment.close();
            segment = null;
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file; the work directory is cleared at start.
        }
    }
}
