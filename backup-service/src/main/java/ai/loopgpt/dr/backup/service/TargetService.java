package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.TargetCheck;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** The configured targets and the checks that tell whether each can be backed up. */
@ApplicationScoped
public class TargetService {

    private static final Logger LOG = Logger.getLogger(TargetService.class);
    private static final Pattern MAJOR = Pattern.compile("(\\d+)(?:\\.\\d+)?");

    private final Map<String, Target> targets = new TreeMap<>();
    private final BackupSettings settings;
    private final Clock clock;

    public TargetService(BackupSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        settings.targets().forEach((name, target) -> targets.put(name, Target.of(name, target)));
        LOG.infof("Backup targets: %s", targets.values());
    }

    public List<Target> all() {
        return List.copyOf(targets.values());
    }

    public boolean exists(String name) {
        return targets.containsKey(name);
    }

    public java.util.Set<String> names() {
        return targets.keySet();
    }

    public Target get(String name) {
        Target target = targets.get(name);
        if (target == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No backup target named '" + name
                    + "'. Configured targets: " + (targets.isEmpty() ? "none" : String.join(", ", targets.keySet())) + ".");
        }
        return target;
    }

    /** Logs in to the target, reads its version and size, and compares with our pg_dump; records the result. */
    @Transactional
    public TargetCheck check(String name, int timeoutSeconds) {
        Target target = get(name);
        TargetCheck check = new TargetCheck();
        check.target = name;
        check.checkedAt = clock.instant();
        check.pgDumpVersion = pgDumpVersion();
        Properties login = new Properties();
        login.setProperty("user", target.user());
        if (target.password() != null) {
            login.setProperty("password", target.password());
        }
        login.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        login.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        login.setProperty("ApplicationName", "loopgpt-dr-backup-check");
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), login);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), pg_database_size(current_database())")) {
            rs.next();
            check.reachable = true;
            check.serverVersion = rs.getString(1);
            check.databaseBytes = rs.getLong(2);
        } catch (SQLException e) {
            check.reachable = false;
            check.problem = "Cannot log in to " + target.user() + "@" + target.host() + ":" + target.port() + "/"
                    + target.database() + ": " + e.getMessage()
                    + (target.password() == null ? " (no password is configured for this target)" : "");
        }
        if (check.reachable) {
            if (check.pgDumpVersion == null) {
                check.problem = "pg_dump was not found at '" + settings.pgDump()
                        + "': install the PostgreSQL client tools or set backup.pg-dump.";
            } else if (major(check.pgDumpVersion) < major(check.serverVersion)) {
                check.problem = "pg_dump " + check.pgDumpVersion + " cannot dump a PostgreSQL " + check.serverVersion
                        + " server: install PostgreSQL client tools " + major(check.serverVersion) + " or newer.";
            } else {
                check.dumpable = true;
            }
        }
        check.persist();
        LOG.infof("Checked %s: reachable=%s dumpable=%s", target, check.reachable, check.dumpable);
        return check;
    }

    /** The version pg_dump reports (e.g. {@code 15.18}), or null if it cannot be run. */
    String pgDumpVersion() {
        try {
            Process process = new ProcessBuilder(List.of(settings.pgDump(), "--version")).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            Matcher m = Pattern.compile("(\\d+\\.\\d+)").matcher(out);
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static int major(String version) {
        Matcher m = MAJOR.matcher(version == null ? "" : version);
        return m.lookingAt() ? Integer.parseInt(m.group(1)) : -1;
    }
}
