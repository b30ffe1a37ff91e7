package ai.loopgpt.dr.common.problem;

import java.sql.SQLException;

/** Recognises database errors that mean a conflict rather than a failure. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /** Whether {@code e} (or a cause) is a unique-constraint violation (SQLSTATE 23505). */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
