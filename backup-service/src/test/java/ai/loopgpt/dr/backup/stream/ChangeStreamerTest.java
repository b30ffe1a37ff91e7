package ai.loopgpt.dr.backup.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * The streamer against a real PostgreSQL 15: a base taken with pg_dump in the snapshot its slot
 * exported, then the segments streamed after it, replayed with psql, give the origin's rows; a
 * streamer that dies after a segment is stored but before it is confirmed, started again from what the
 * store holds, writes no transaction twice and loses none.
 */
class ChangeStreamerTest {

    static EmbeddedPostgres postgres;
    static Target origin;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws SQLException {
        postgres = EmbeddedPostgres.startTransient();
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE origin");
            s.execute("CREATE DATABASE copy");
        }
        try (Connection c = postgres.connect("origin"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ledger (id bigserial PRIMARY KEY, batch int NOT NULL, amount numeric(10,2) NOT NULL)");
            s.execute("INSERT INTO ledger (batch, amount) SELECT 0, i FROM generate_series(1, 100) i");
            s.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
        }
        origin = new Target("origin", postgres.host(), postgres.port(), "origin", EmbeddedPostgres.SUPERUSER, null);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theBaseAndItsSegmentsReplayToTheOriginEvenAcrossACrash() throws Exception {
        Path segments = Files.createDirectories(work.resolve("bucket"));
        Path base = work.resolve("base.sql");
        long consistentPoint;
        try (ReplicationSession session = ReplicationSession.open(origin, 10)) {
            ReplicationSlotInfo slot = session.createSlot("dr_origin_test");
            consistentPoint = slot.getConsistentPoint().asLong();
            // Written after the slot's snapshot: in the stream, not in the base.
            write(1);
            Process dump = new ProcessBuilder("pg_dump", "-h", postgres.host(), "-p", Integer.toString(postgres.port()),
                    "-U", "postgres", "--snapshot", slot.getSnapshotName(), "--no-publications", "-f", base.toString(), "origin")
                    .redirectErrorStream(true).start();
            String output = new String(dump.getInputStream().readAllBytes());
            assertEquals(0, dump.waitFor(), output);
        }
        assertFalse(Files.readString(base).contains("\t1\t"), "batch 1 is not in the base");

        // A first streamer stores one segment, then dies before confirming it (as a SIGKILL would).
        AtomicInteger stored = new AtomicInteger();
        ChangeStreamer.SegmentStore dying = (file, sealed) -> {
            keep(segments, file, sealed);
            if (stored.incrementAndGet() == 1) {
                throw new IllegalStateException("killed after the upload, before the confirmation");
            }
        };
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> stream(new ChangeStreamer.Position(-1, consistentPoint),
                dying, () -> false));
        write(2);
        assertTrue(assertThrowsEventually(first).getMessage().contains("killed after the upload"));
        assertEquals(1, stored.get());

        // Started again from what the store holds: the server sends the unconfirmed transactions again.
        write(3);
        ChangeStreamer.Position resumed = positionOf(segments, consistentPoint);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> stream(resumed, (file, sealed) -> keep(segments, file, sealed), stop::get));
        long beforeLast = write(4);
        waitUntil(() -> positionOf(segments, consistentPoint).endLsn() > beforeLast);
        stop.set(true);
        second.get(30, TimeUnit.SECONDS);

        psql("cat " + base);
        List<Path> ordered;
        try (var files = Files.list(segments)) {
            ordered = files.filter(f -> f.toString().endsWith(".sql.gz")).sorted().toList();
        }
        assertTrue(ordered.size() >= 2, "segments: " + ordered);
        for (Path segment : ordered) {
            psql("gunzip -c " + segment);
        }
        assertEquals(rows("origin"), rows("copy"), "every transaction once");
        assertEquals(rows("origin").size(), 100 + 4 * 10);
    }

    static void stream(ChangeStreamer.Position position, ChangeStreamer.SegmentStore store, java.util.function.BooleanSupplier stop) {
        try (ReplicationSession session = ReplicationSession.open(origin, 10);
                PGReplicationStream stream = session.stream("dr_origin_test", "dr_stream")) {
            Path work = Files.createTempDirectory("stream");
            new ChangeStreamer(stream, position, store, () -> Map.of(), "target origin", Duration.ofMillis(500), 1 << 20,
                    work, Clock.systemUTC(), null).run(stop);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps a sealed segment under its LSNs, as the bucket keys it. */
    static void keep(Path bucket, Path file, ChangeSegment.Sealed sealed) throws Exception {
        Files.copy(file, bucket.resolve("changes_%016X_%016X_%016X.sql.gz".formatted(sealed.firstLsn(), sealed.lastLsn(),
                sealed.endLsn())), StandardCopyOption.REPLACE_EXISTING);
    }

    static ChangeStreamer.Position positionOf(Path bucket, long consistentPoint) throws Exception {
        try (var files = Files.list(bucket)) {
            return files.map(f -> f.getFileName().toString().split("[_.]"))
                    .map(parts -> new ChangeStreamer.Position(Long.parseUnsignedLong(parts[2], 16), Long.parseUnsignedLong(parts[3], 16)))
                    .max((a, b) -> Long.compare(a.endLsn(), b.endLsn()))
                    .orElse(new ChangeStreamer.Position(-1, consistentPoint));
        }
    }

    /** Six transactions of batch {@code batch}; returns the WAL position before the last one committed. */
    static long write(int batch) throws SQLException {
        try (Connection c = postgres.connect("origin"); Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = on");
            for (int i = 0; i < 5; i++) {
                s.execute("INSERT INTO ledger (batch, amount) VALUES (" + batch + ", " + i + ".5), (" + batch + ", " + i + ".25)");
            }
            long before;
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                before = rs.getLong(1);
            }
            s.execute("UPDATE ledger SET amount = amount + 1 WHERE batch = " + batch);
            return before;
        }
    }

    static Throwable assertThrowsEventually(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the streamer did not die");
    }

    static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(100);
        }
    }

    /** {@code source | psql} into the copy, as an operator replays by hand. */
    static void psql(String source) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + source + " | psql -X -q -v ON_ERROR_STOP=1 -h "
                + postgres.host() + " -p " + postgres.port() + " -U postgres -d copy").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
    }

    static List<String> rows(String database) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = postgres.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT l::text FROM ledger l ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
