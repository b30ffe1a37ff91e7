package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.recovery.config.RecoverySettings.Destination;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Creates, counts, renames and drops databases on a destination server. */
final class DatabaseAdmin {

    private DatabaseAdmin() {
    }

    static Connection connect(Destination d, String database) throws SQLException {
        return connect(d, database, null);
    }

    /** A connection whose session starts with {@code options} (as PGOPTIONS: "-c name=value ..."), if any. */
    static Connection connect(Destination d, String database, String options) throws SQLException {
        return connect(d, database, options, java.util.Map.of());
    }

    /** ... with the driver's {@code properties} besides (e.g. preferQueryMode). */
    static Connection connect(Destination d, String database, String options, java.util.Map<String, String> properties)
            throws SQLException {
        Properties login = new Properties();
        properties.forEach(login::setProperty);
        if (options != null) {
            login.setProperty("options", options);
        }
        login.setProperty("user", d.user());
        d.password().ifPresent(p -> login.setProperty("password", p));
        login.setProperty("connectTimeout", "15");
        login.setProperty("ApplicationName", "loopgpt-dr-restore");
        return DriverManager.getConnection("jdbc:postgresql://" + d.host() + ":" + d.port() + "/" + database, login);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static boolean exists(Destination d, String database) throws SQLException {
        try (Connection c = connect(d, "postgres");
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The owner of {@code database}, if it exists. */
    static java.util.Optional<String> owner(Destination d, String database) throws SQLException {
        try (Connection c = connect(d, "postgres");
                PreparedStatement s = c.prepareStatement(
                        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    static void create(Destination d, String database, String owner) throws SQLException {
        try (Connection c = connect(d, "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(database) + " OWNER " + quote(owner));
        }
    }

    static void drop(Destination d, String database) throws SQLException {
        // Bounded: a lock that never clears fails this drop (tried again later), it never hangs its caller.
        try (Connection c = connect(d, "postgres", "-c lock_timeout=10s -c statement_timeout=60s");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
        }
    }

    /** Renames {@code from} to {@code to}, closing the sessions connected to it first. */
    static void rename(Destination d, String from, String to) throws SQLException {
        try (Connection c = connect(d, "postgres")) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                s.setString(1, from);
                s.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + quote(from) + " RENAME TO " + quote(to));
            }
        }
    }

    /**
     * Turns autovacuum off on every table and materialized view of {@code database}, a staging
     * database a restore is about to load: vacuuming and analysing tables while their rows are
     * still coming is work thrown away, taken from the load. Relations with an autovacuum setting
     * of their own keep it. Runs as {@code role} (the relations' owner); a relation it may not
     * alter is left as it is. Returns the relations {@link #resumeAutovacuum} gives autovacuum back to.
     */
    static List<String> pauseAutovacuum(Destination d, String database, String role) throws SQLException {
        List<String> paused = new ArrayList<>();
        try (Connection c = connect(d, database); Statement s = c.createStatement()) {
            asRole(s, d, role);
            List<String> relations = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW ' ELSE 'TABLE ' END"
                    + " || quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                    + " AND NOT EXISTS (SELECT FROM pg_options_to_table(c.reloptions) WHERE option_name = 'autovacuum_enabled')")) {
                while (rs.next()) {
                    relations.add(rs.getString(1));
                }
            }
            for (String relation : relations) {
                try {
                    s.execute("ALTER " + relation + " SET (autovacuum_enabled = off)");
                    paused.add(relation);
                } catch (SQLException notOwner) {
                    // Only an optimisation: this relation is autovacuumed as usual.
                }
            }
        }
        return paused;
    }

    /** Gives autovacuum back to the relations {@link #pauseAutovacuum} took it from, in one transaction. */
    static void resumeAutovacuum(Destination d, String database, String role, List<String> paused)
            throws SQLException {
        if (paused.isEmpty()) {
            return;
        }
        try (Connection c = connect(d, database); Statement s = c.createStatement()) {
            asRole(s, d, role);
            c.setAutoCommit(false);
            for (String relation : paused) {
                s.execute("ALTER " + relation + " RESET (autovacuum_enabled)");
            }
            c.commit();
        }
    }

    private static void asRole(Statement s, Destination d, String role) throws SQLException {
        if (!role.equals(d.user())) {
            s.execute("SET ROLE " + quote(role));
        }
    }

    /**
     * The rows the server counted inserting into each table of {@code database}, a database it
     * has just loaded ({@code pg_stat_user_tables.n_tup_ins}, "schema.table" as manifests name
     * tables). A session's counts are written when it ends: this first waits (up to two seconds)
     * until no other client session is connected. Tables it keeps no count of (statistics off)
     * read 0.
     */
    static Map<String, Long> insertedRows(Destination d, String database) throws SQLException, InterruptedException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = connect(d, database); Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
            try (ResultSet rs = s.executeQuery("SELECT schemaname, relname, n_tup_ins FROM pg_stat_user_tables")) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return rows;
    }

    /** Rows of {@code tables} ({@code schema.table}) in {@code database}; a missing table counts -1. */
    static Map<String, Long> rowCounts(Destination d, String database, Iterable<String> tables) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = connect(d, database); Statement s = c.createStatement()) {
            for (String table : tables) {
                int dot = table.indexOf('.');
                String sql = "SELECT count(*) FROM " + quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                } catch (SQLException e) {
                    counts.put(table, -1L);
                }
            }
        }
        return counts;
    }

    /** Disables the own (not internal) triggers of every table of {@code session}'s database; returns those tables. */
    static List<String> disableTriggers(Connection session) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = session.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT format('%I.%I', n.nspname, c.relname) FROM pg_trigger t "
                        + "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE NOT t.tgisinternal AND c.relkind IN ('r', 'p') ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        try (Statement s = session.createStatement()) {
            for (String table : tables) {
                s.execute("ALTER TABLE " + table + " DISABLE TRIGGER USER");
            }
        }
        return tables;
    }

    static void enableTriggers(Connection session, List<String> tables) throws SQLException {
        try (Statement s = session.createStatement()) {
            for (String table : tables) {
                s.execute("ALTER TABLE " + table + " ENABLE TRIGGER USER");
            }
        }
    }
}
