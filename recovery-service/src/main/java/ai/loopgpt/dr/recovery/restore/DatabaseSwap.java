package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.recovery.config.RecoverySettings.Destination;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a verified staging database in the destination's place in one transaction: the destination
 * is renamed aside and the staging database renamed in, and both renames commit together or not at
 * all. PostgreSQL refuses to rename a database anyone is connected to, so the sessions on both are
 * terminated first and again until the renames go through or the grace period ends.
 *
 * <p>After a crash, {@link #inspect} tells from the databases themselves whether the swap committed.
 */
final class DatabaseSwap {

    /** SQLSTATE object_in_use: "database is being accessed by other users". */
    private static final String OBJECT_IN_USE = "55006";

    private DatabaseSwap() {
    }

    /** What the destination server holds for a swap that may or may not have committed. */
    enum Outcome {
        /** The staging database is still there: the destination holds its original data. */
        NOT_SWAPPED,
        /** The staging database became the destination. */
        SWAPPED,
        /** Neither the staging database nor the destination exists. */
        NOTHING
    }

    /**
     * Renames {@code destination.database()} to {@code replaced} (if it exists; {@code replaced} may
     * be null when it does not) and {@code staging} to {@code destination.database()}, atomically.
     *
     * @throws RestoreEngine.RestoreFailure when sessions keep the databases busy past {@code grace}
     */
    static void swap(Destination d, String staging, String replaced, Duration grace)
            throws SQLException, InterruptedException, RestoreEngine.RestoreFailure {
        String target = d.database();
        long deadline = System.nanoTime() + grace.toNanos();
        try (Connection c = DatabaseAdmin.connect(d, "postgres")) {
            while (true) {
                List<String> terminated = terminate(c, target, staging);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    if (replaced != null) {
                        s.execute("ALTER DATABASE " + DatabaseAdmin.quote(target) + " RENAME TO " + DatabaseAdmin.quote(replaced));
                    }
                    s.execute("ALTER DATABASE " + DatabaseAdmin.quote(staging) + " RENAME TO " + DatabaseAdmin.quote(target));
                    Failpoints.pause("restore.swap.before-commit");
                    c.commit();
                    return;
                } catch (SQLException e) {
                    c.rollback();
                    if (!OBJECT_IN_USE.equals(e.getSQLState())) {
                        throw e;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new RestoreEngine.RestoreFailure("Sessions on '" + target + "' did not end within "
                                + grace + " although they were asked to terminate (" + String.join(", ", terminated)
                                + "); nothing was swapped and the destination keeps its data. Stop the applications "
                                + "connected to it (or raise recovery.swap-grace) and restore again.");
                    }
                } finally {
                    c.setAutoCommit(true);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Terminates every other session on the two databases; says which applications they were. */
    private static List<String> terminate(Connection c, String target, String staging) throws SQLException {
        List<String> who = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT pid, coalesce(nullif(application_name, ''), usename), "
                + "pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN (?, ?) AND pid <> pg_backend_pid()")) {
            s.setString(1, target);
            s.setString(2, staging);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    who.add("pid " + rs.getInt(1) + " " + rs.getString(2));
                }
            }
        }
        return who;
    }

    /** Whether the swap of {@code staging} into the destination committed, read from the server. */
    static Outcome inspect(Destination d, String staging) throws SQLException {
        if (staging != null && DatabaseAdmin.exists(d, staging)) {
            return Outcome.NOT_SWAPPED;
        }
        return DatabaseAdmin.exists(d, d.database()) ? Outcome.SWAPPED : Outcome.NOTHING;
    }
}
