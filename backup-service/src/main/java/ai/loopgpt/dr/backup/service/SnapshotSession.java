package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A read-only REPEATABLE READ transaction on the target whose snapshot is exported for pg_dump
 * ({@code --snapshot}): the row counts taken here are exactly what the dump contains. It must stay
 * open until pg_dump has finished.
 */
final class SnapshotSession implements AutoCloseable {

    private static final String USER_TABLES = """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
            ORDER BY 1, 2""";

    private final Connection connection;
    private final String snapshotId;
    private final String serverVersion;

    private SnapshotSession(Connection connection, String snapshotId, String serverVersion) {
        this.connection = connection;
        this.snapshotId = snapshotId;
        this.serverVersion = serverVersion;
    }

    static SnapshotSession open(Target target, int connectTimeoutSeconds, java.time.Duration lockWaitTimeout)
            throws SQLException {
        return begin(target, connectTimeoutSeconds, lockWaitTimeout, null);
    }

    /**
     * A session in the snapshot {@code snapshotId} another session exported (a replication slot's, for a
     * streamed target): the row counts, and pg_dump, see exactly what that snapshot holds.
     */
    static SnapshotSession importing(Target target, int connectTimeoutSeconds, java.time.Duration lockWaitTimeout,
            String snapshotId) throws SQLException {
        return begin(target, connectTimeoutSeconds, lockWaitTimeout, snapshotId);
    }

    private static SnapshotSession begin(Target target, int connectTimeoutSeconds, java.time.Duration lockWaitTimeout,
            String importedSnapshot) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", target.user());
        if (target.password() != null) {
            login.setProperty("password", target.password());
        }
        login.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        login.setProperty("ApplicationName", "loopgpt-dr-backup");
        Connection c = DriverManager.getConnection(target.jdbcUrl(), login);
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                // The row counts wait for table locks no longer than pg_dump does.
                s.execute("SET lock_timeout = " + lockWaitTimeout.toMillis());
            }
            if (importedSnapshot != null) {
                if (!importedSnapshot.matches("[0-9A-Fa-f-]{1,64}")) {
                    throw new IllegalArgumentException("not a snapshot name: " + importedSnapshot);
                }
                try (Statement s = c.createStatement()) {
                    // Before any query of the transaction (SET takes no snapshot).
                    s.execute("SET TRANSACTION SNAPSHOT '" + importedSnapshot + "'");
                }
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
                    rs.next();
                    return new SnapshotSession(c, importedSnapshot, rs.getString(1));
                }
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_export_snapshot(), current_setting('server_version')")) {
                rs.next();
                return new SnapshotSession(c, rs.getString(1), rs.getString(2));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    String snapshotId() {
        return snapshotId;
    }

    String serverVersion() {
        return serverVersion;
    }

    /** Rows of every user table, as {@code schema.table}, in the exported snapshot. */
    Map<String, Long> countRows() throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(USER_TABLES)) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement s = connection.createStatement()) {
            for (String[] table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quote(table[0]) + "." + quote(table[1]))) {
                    rs.next();
                    rows.put(table[0] + "." + table[1], rs.getLong(1));
                }
            }
        }
        return rows;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection may already be gone; closing is all that is left.
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more to release.
        }
    }
}
