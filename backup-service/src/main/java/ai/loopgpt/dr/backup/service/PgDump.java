package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.DumpFormat;
import ai.loopgpt.dr.backup.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts pg_dump with an argument list (never through a shell). The password goes in the child's
 * environment, never on its command line.
 */
final class PgDump {

    private PgDump() {
    }

    static List<String> command(String pgDump, Target target, String snapshot, DumpFormat format, int jobs,
            Path directory, java.time.Duration lockWaitTimeout, boolean streamed) {
        List<String> args = new ArrayList<>(List.of(pgDump,
                "--host", target.host(), "--port", Integer.toString(target.port()),
                "--username", target.user(), "--dbname", target.database(),
                "--no-password", "--snapshot", snapshot, "--no-owner", "--no-privileges",
                "--lock-wait-timeout=" + lockWaitTimeout.toMillis() + "ms"));
        if (streamed) {
            // The stream's publication (FOR ALL TABLES) is the tool's, not the application's: a restore
            // by a user who is not a superuser could not create it.
            args.add("--no-publications");
        }
        switch (format) {
            case PLAIN -> args.addAll(List.of("--format", "plain"));
            case CUSTOM -> args.addAll(List.of("--format", "custom", "--compress", "0"));
            case DIRECTORY -> args.addAll(List.of("--format", "directory", "--compress", "0",
                    "--jobs", Integer.toString(jobs), "--file", directory.toString()));
        }
        return args;
    }

    static Process start(List<String> command, Target target) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        var env = builder.environment();
        env.remove("PGPASSWORD");
        if (target.password() != null) {
            env.put("PGPASSWORD", target.password());
        }
        env.put("PGCONNECT_TIMEOUT", "15");
        env.put("PGAPPNAME", "loopgpt-dr-backup");
        return builder.start();
    }
}
