package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.service.BackupMetrics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An idle chain's watermark: probes the target's server (its WAL insert position and clock, on one
 * plain session kept open) and, once the stream has passed a probe with nothing pending, records on
 * the chain (and in the RPO metric) that it holds every transaction committed before the probe's time.
 */
final class StreamWatermark implements ChangeStreamer.Watermark, AutoCloseable {

    private final Target target;
    private final UUID chain;
    private final StreamChains chains;
    private final BackupMetrics metrics;
    private Connection session;

    StreamWatermark(Target target, UUID chain, StreamChains chains, BackupMetrics metrics) {
        this.target = target;
        this.chain = chain;
        this.chains = chains;
        this.metrics = metrics;
    }

    /**
     * The server's clock, then whether a transaction of the target's database holds a transaction id
     * (it may have taken its commit time and not yet written its commit record), then the WAL insert
     * position, in that order: with none in flight, every transaction committed before that time has
     * its commit record before that position. With one in flight, no probe this time (null).
     */
    @Override
    public Probe probe() throws SQLException {
        if (session == null || !session.isValid(5)) {
            close();
            session = ReplicationSession.plain(target, 15);
        }
        try (Statement s = session.createStatement()) {
            Instant time;
            try (ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                time = rs.getObject(1, OffsetDateTime.class).toInstant();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND backend_xid IS NOT NULL")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return null;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                return new Probe(rs.getLong(1), time);
            }
        }
    }

    @Override
    public void caughtUp(Instant time) {
        chains.recordCaughtUp(chain, time);
        metrics.recoverableUntil(target.name(), time);
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // Closing a broken session: nothing left to release.
            }
            session = null;
        }
    }
}
