package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import ai.loopgpt.dr.backup.stream.PgOutputMessage.Begin;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Commit;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A change segment being written: whole transactions in commit order, one statement per line, each
 * transaction headed by {@code -- txn <commit time> <commit LSN> <end LSN>}. The body grows in a
 * temporary file; {@link #seal} writes the segment as it is kept (gzip): a header saying what it holds
 * and how to replay it, the session settings, the sequences' values, then the body.
 *
 * <p>Commit times are written with six fractional digits and a {@code Z}, so they compare as text in
 * time order: replaying up to a time {@code T} (written the same way) stops at the first header whose
 * time is after it, {@link #CUT} with awk, as the service's restore does.
 */
public final class ChangeSegment implements AutoCloseable {

    /** Prints a segment up to the last transaction committed at or before {@code t}. */
    public static final String CUT = "awk -v t=%s '$1==\"--\" && $2==\"txn\" && $3>t {exit} {print}'";

    private final Path body;
    private final FileChannel channel;
    private final Writer out;
    private final long previousLsn;
    private final Map<String, Long> rowsByTable = new TreeMap<>();
    private long firstLsn = -1;
    private long lastLsn;
    private long lastEndLsn;
    private Instant firstCommitTime;
    private Instant lastCommitTime;
    private int transactions;
    private long rows;
    private long bodyBytes;
    private boolean inTransaction;
    private long transactionStart;
    private long transactionRows;
    private final Map<String, Long> transactionRowsByTable = new TreeMap<>();

    /** A new segment following the transaction that ended at {@code previousLsn} (the base's consistent point at first). */
    public ChangeSegment(Path directory, long previousLsn) {
        this.previousLsn = previousLsn;
        try {
            body = Files.createTempFile(directory, "changes-", ".sql");
            channel = FileChannel.open(body, StandardOpenOption.WRITE);
            out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a change segment in " + directory, e);
        }
    }

    public void begin(Begin begin) throws IOException {
        if (inTransaction) {
            throw new IllegalStateException("a transaction began inside another");
        }
        inTransaction = true;
        out.flush();
        transactionStart = channel.position();
        transactionRows = 0;
        transactionRowsByTable.clear();
        line(ChangeSegmentFormat.TRANSACTION_HEADER + ChangeSegmentFormat.commitTime(begin.commitTime()) + " " + ChangeSegmentFormat.lsn(begin.commitLsn())
                + " xid=" + Integer.toUnsignedString(begin.xid()));
        line("BEGIN;");
    }

    /** One row changed in {@code table} (a truncate counts as one). */
    public void change(String table, String statement) throws IOException {
        if (!inTransaction) {
            throw new IllegalStateException("a change outside a transaction");
        }
        line(statement);
        transactionRows++;
        transactionRowsByTable.merge(table, 1L, Long::sum);
    }

    /** Forgets the transaction begun and not committed (one the stream cannot carry): the segment ends before it. */
    public void abandonTransaction() throws IOException {
        if (!inTransaction) {
            return;
        }
        out.flush();
        bodyBytes = transactionStart;
        channel.truncate(transactionStart);
        channel.position(transactionStart);
        inTransaction = false;
    }

    public void commit(Commit commit) throws IOException {
        if (!inTransaction) {
            throw new IllegalStateException("a commit outside a transaction");
        }
        inTransaction = false;
        line("COMMIT;");
        rows += transactionRows;
        transactionRowsByTable.forEach((table, count) -> rowsByTable.merge(table, count, Long::sum));
        if (firstLsn < 0) {
            firstLsn = commit.commitLsn();
            firstCommitTime = commit.commitTime();
        }
        lastLsn = commit.commitLsn();
        lastEndLsn = commit.endLsn();
        lastCommitTime = commit.commitTime();
        transactions++;
    }

    private void line(String line) throws IOException {
        out.write(line);
        out.write('\n');
        bodyBytes += line.length() + 1;
    }

    public boolean isEmpty() {
        return transactions == 0;
    }

    public boolean inTransaction() {
        return inTransaction;
    }

    /** Characters written so far: the segment closes when it grows past its limit. */
    public long bodyBytes() {
        return bodyBytes;
    }

    public Instant firstCommitTime() {
        return firstCommitTime;
    }

    /**
     * Writes the segment to {@code file} (gzip): the header, the session settings, {@code sequences}
     * set to their values, then the transactions. Only whole transactions: call it between two.
     */
    public Sealed seal(Path file, String description, Map<String, Long> sequences) throws IOException {
        if (inTransaction || isEmpty()) {
            throw new IllegalStateException(isEmpty() ? "an empty segment" : "a segment ends inside a transaction");
        }
        out.flush();
        MessageDigest sha256 = sha256();
        long[] uncompressed = {0};
        try (OutputStream file1 = Files.newOutputStream(file);
                DigestOutputStream digest = new DigestOutputStream(file1, sha256);
                GZIPOutputStream gzip = new GZIPOutputStream(digest, 1 << 16) {
                    {
                        def.setLevel(Deflater.BEST_SPEED);
                    }
                };
                OutputStream counted = new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        gzip.write(b);
                        uncompressed[0]++;
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        gzip.write(b, off, len);
                        uncompressed[0] += len;
                    }
                }) {
            StringBuilder head = new StringBuilder();
            head.append(ChangeSegmentFormat.FIRST_LINE).append('\n');
            head.append("-- ").append(description.replace('\n', ' ')).append('\n');
            head.append("-- lsn ").append(ChangeSegmentFormat.lsn(firstLsn)).append(" .. ").append(ChangeSegmentFormat.lsn(lastLsn))
                    .append(", after ").append(ChangeSegmentFormat.lsn(previousLsn)).append("; commits ")
                    .append(ChangeSegmentFormat.commitTime(firstCommitTime)).append(" .. ").append(ChangeSegmentFormat.commitTime(lastCommitTime)).append("; ")
                    .append(transactions).append(" transactions, ").append(rows).append(" rows\n");
            head.append("-- replay after the base backup and every earlier segment: gunzip -c SEGMENT | psql -X -v ON_ERROR_STOP=1 -d DB\n");
            head.append("-- up to time T only: gunzip -c SEGMENT | ").append(CUT.formatted("T"))
                    .append(" | psql -X -v ON_ERROR_STOP=1 -d DB\n");
            for (String setting : ChangeSql.SETTINGS) {
                head.append(setting).append('\n');
            }
            head.append("SET session_replication_role = replica;\n");
            sequences.forEach((name, value) -> head.append("SELECT pg_catalog.setval(").append(ChangeSql.literal(name))
                    .append(", ").append(value).append(", true);\n"));
            counted.write(head.toString().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(body)) {
                in.transferTo(counted);
            }
        }
        return new Sealed(previousLsn, firstLsn, lastLsn, lastEndLsn, firstCommitTime, lastCommitTime, transactions, rows,
                Map.copyOf(rowsByTable), Map.copyOf(sequences), Files.size(file), uncompressed[0],
                HexFormat.of().formatHex(sha256.digest()));
    }

    /** What a sealed segment holds: its manifest's facts. */
    public record Sealed(long previousLsn, long firstLsn, long lastLsn, long endLsn, Instant firstCommitTime,
            Instant lastCommitTime, int transactions, long rows, Map<String, Long> rowsByTable, Map<String, Long> sequences,
            long sizeBytes, long uncompressedBytes, String sha256) {}

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
