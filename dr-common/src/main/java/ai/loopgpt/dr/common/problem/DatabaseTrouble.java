package ai.loopgpt.dr.common.problem;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a service database that is down or frozen (no connection within the acquisition timeout, a
 * connection lost, a statement unanswered past the socket timeout) from a bug: the first is a 503
 * the caller can retry, the second a 500.
 */
public final class DatabaseTrouble {

    /** What a 503 for an unavailable database asks callers to wait, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseTrouble() {
    }

    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // 08: connection exceptions; 57P01-57P03: the server is shutting down or cannot take connections.
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
            }
            String message = String.valueOf(t.getMessage());
            // The pool gave up waiting (Agroal), or the connection could not be had at all (Hibernate's wording).
            if (message.contains("Acquisition timeout") || message.contains("Unable to acquire JDBC Connection")) {
                return true;
            }
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, for a log line (never shown to callers). */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
