package ai.loopgpt.dr.backup.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * One backup per target at a time, across every replica: a PostgreSQL session-level advisory lock
 * on the service's own database, held on a dedicated connection for as long as the backup runs. If
 * the process dies, its session ends and the lock with it, which is how orphans are recognised.
 */
@ApplicationScoped
public class BackupLocks {

    private static final Logger LOG = Logger.getLogger(BackupLocks.class);
    /** The lock space of backups ("DRB1"), so that other advisory locks never collide with ours. */
    private static final int NAMESPACE = 0x44524231;

    private final AgroalDataSource dataSource;

    public BackupLocks(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lock of {@code target} if nobody holds it, else null. */
    public Held tryLock(String target) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                s.setInt(1, NAMESPACE);
                s.setString(2, target);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return new Held(c, target);
                    }
                }
            }
            c.close();
            return null;
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Already failing.
                }
            }
            throw new IllegalStateException("Could not take the backup lock of " + target + ": " + e.getMessage(), e);
        }
    }

    /** A held lock; closing releases it. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;
        private final String target;
        private boolean released;

        Held(Connection connection, String target) {
            this.connection = connection;
            this.target = target;
        }

        @Override
        public synchronized void close() {
            if (released) {
                return;
            }
            released = true;
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                s.setInt(1, NAMESPACE);
                s.setString(2, target);
                s.execute();
            } catch (SQLException e) {
                LOG.warnf("Could not release the backup lock of %s (it goes with the connection): %s", target,
                        e.getMessage());
            } finally {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // Released with the session.
                }
            }
        }
    }
}
