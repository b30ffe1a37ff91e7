package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * A logical replication connection to a target (a walsender on its database), in the session
 * settings of {@link ChangeSql#SETTINGS}, so that values are decoded as a replay reads them. It creates
 * a target's slot (exporting the snapshot its base backup is taken in), streams from it and drops it.
 * One per slot, never pooled; not thread-safe.
 */
public final class ReplicationSession implements AutoCloseable {

    public static final String PLUGIN = "pgoutput";
    /** The session settings as startup options (the walsender accepts no SET before streaming). */
    private static final String OPTIONS = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres "
            + "-c extra_float_digits=3 -c bytea_output=hex -c client_encoding=UTF8";

    private final Connection connection;

    private ReplicationSession(Connection connection) {
        this.connection = connection;
    }

    public static ReplicationSession open(Target target, int connectTimeoutSeconds) throws SQLException {
        Properties login = login(target, connectTimeoutSeconds);
        PGProperty.REPLICATION.set(login, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(login, "10");
        // A walsender speaks only the simple query protocol.
        PGProperty.PREFER_QUERY_MODE.set(login, "simple");
        PGProperty.OPTIONS.set(login, OPTIONS);
        return new ReplicationSession(DriverManager.getConnection(target.jdbcUrl(), login));
    }

    /** An ordinary connection to the target, as the stream's user (slots, publications, sequences). */
    public static Connection plain(Target target, int connectTimeoutSeconds) throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), login(target, connectTimeoutSeconds));
    }

    /**
     * Drops {@code slot} if it exists and no session streams from it; true if it is gone. A slot
     * left behind keeps WAL on the server, so every path that ends a chain drops its slot.
     */
    public static boolean dropSlot(Target target, String slot) throws SQLException {
        try (Connection c = plain(target, 15);
                var s = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                        + "WHERE slot_name = ? AND NOT active")) {
            s.setString(1, slot);
            s.execute();
        }
        try (Connection c = plain(target, 15);
                var s = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (var rs = s.executeQuery()) {
                return !rs.next();
            }
        }
    }

    private static Properties login(Target target, int connectTimeoutSeconds) {
        Properties login = new Properties();
        PGProperty.USER.set(login, target.user());
        if (target.password() != null) {
            PGProperty.PASSWORD.set(login, target.password());
        }
        PGProperty.CONNECT_TIMEOUT.set(login, connectTimeoutSeconds);
        PGProperty.APPLICATION_NAME.set(login, "loopgpt-dr-stream");
        return login;
    }

    /**
     * Creates the logical slot {@code slot}; its snapshot is exported under the returned name and stays
     * valid until this session runs another command or closes: the base backup is taken in it, so
     * the stream starts exactly where the base ends.
     */
    public ReplicationSlotInfo createSlot(String slot) throws SQLException {
        return connection.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(slot).withOutputPlugin(PLUGIN).make();
    }

    /** The slot's changes of the tables in {@code publication}, from its confirmed position on. */
    public PGReplicationStream stream(String slot, String publication) throws SQLException {
        return connection.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                .withSlotName(slot).withStartPosition(LogSequenceNumber.INVALID_LSN)
                .withSlotOption("proto_version", "1")
                .withSlotOption("publication_names", publication)
                .withStatusInterval(5, TimeUnit.SECONDS)
                .start();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The session may already be gone; its slot stays, as it should.
        }
    }
}
