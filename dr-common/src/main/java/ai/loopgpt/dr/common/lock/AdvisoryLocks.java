package ai.loopgpt.dr.common.lock;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Ownership across replicas: a PostgreSQL session-level advisory lock on the service's own database,
 * held on a dedicated connection for as long as the work runs. When a process dies its session ends
 * and the lock with it, so a lock anyone can take marks work that no live replica is doing. Each
 * kind of work has its own lock space, so that locks of different kinds never collide.
 */
@ApplicationScoped
public class AdvisoryLocks {

    private static final Logger LOG = Logger.getLogger(AdvisoryLocks.class);

    private final AgroalDataSource dataSource;

    public AdvisoryLocks(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lock of {@code key} in {@code space} if no session holds it, else null. */
    public Held tryLock(int space, String key) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                s.setInt(1, space);
                s.setString(2, key);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return new Held(c, space, key);
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
            throw new IllegalStateException("Could not take the lock of " + key + ": " + e.getMessage(), e);
        }
    }

    /** A held lock; closing releases it. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;
        private final int space;
        private final String key;
        private boolean released;

        Held(Connection connection, int space, String key) {
            this.connection = connection;
            this.space = space;
            this.key = key;
        }

        /** Whether the session holding the lock is still alive (a lost connection loses the lock). */
        public synchronized boolean valid() {
            try {
                return !released && connection.isValid(5);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public synchronized void close() {
            if (released) {
                return;
            }
            released = true;
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                s.setInt(1, space);
                s.setString(2, key);
                s.execute();
            } catch (SQLException e) {
                LOG.warnf("Could not release the lock of %s (it goes with the connection): %s", key, e.getMessage());
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
