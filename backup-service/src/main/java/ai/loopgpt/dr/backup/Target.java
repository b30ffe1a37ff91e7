package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.backup.config.BackupSettings;
import java.util.regex.Pattern;

/**
 * A database to protect, as configured. {@link #toString()} leaves the password out, so a target
 * can be logged.
 */
public record Target(String name, String host, int port, String database, String user, String password) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public Target {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Target name '" + name
                    + "' is invalid: use 1-40 lower-case letters, digits and dashes, starting with a letter");
        }
    }

    public static Target of(String name, BackupSettings.Target settings) {
        return new Target(name, settings.host(), settings.port(), settings.database(), settings.user(),
                settings.password().orElse(null));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "Target[" + name + " " + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
