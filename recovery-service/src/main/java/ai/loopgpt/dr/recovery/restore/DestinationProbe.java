package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.selfcheck.Check;
import ai.loopgpt.dr.recovery.config.RecoverySettings.Destination;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A destination's server accepts its user, who may create databases there (what every restore does first). */
public final class DestinationProbe {

    private DestinationProbe() {
    }

    public static Check check(String name, Destination d) {
        String label = "destination " + name + " (" + d.user() + "@" + d.host() + ":" + d.port() + (d.scratch() ? ", scratch" : "") + ")";
        String variable = "RECOVERY_DESTINATIONS__" + name.toUpperCase().replace('-', '_') + "__";
        try (Connection c = DatabaseAdmin.connect(d, "postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), rolcreatedb OR rolsuper"
                        + " FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            if (!rs.getBoolean(2)) {
                return Check.fail(label, "user " + d.user() + " may not create databases, which every restore does",
                        "ALTER ROLE " + d.user() + " CREATEDB on that server, or use a role that may.");
            }
            return Check.pass(label, "logged in, PostgreSQL " + rs.getString(1) + ", may create databases");
        } catch (SQLException e) {
            boolean password = "28P01".equals(e.getSQLState());
            return Check.fail(label, "cannot log in: " + (e.getMessage() == null ? e.getSQLState()
                    : e.getMessage().replaceAll("\\p{Cntrl}+", " ")), password
                    ? "Correct " + variable + "PASSWORD (chart: the Secret recovery.destinations." + name + ".existingSecret)."
                    : "Check " + variable + "HOST, PORT, USER and PASSWORD, and that the server accepts this pod.");
        }
    }
}
