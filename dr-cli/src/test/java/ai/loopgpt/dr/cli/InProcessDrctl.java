package ai.loopgpt.dr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * drctl's command classes run in this JVM by picocli, as the packaged drctl runs them but without
 * starting Quarkus: a test's environment (DRCTL_* variables) instead of the process's, and stdout
 * and stderr captured.
 */
final class InProcessDrctl {

    /** What a run left: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private InProcessDrctl() {
    }

    /** drctl's command line, configured as the packaged one, reading DRCTL_* from {@code env} only. */
    static CommandLine commandLine(Map<String, String> env) {
        Map<String, String> copy = new HashMap<>(env);
        return Drctl.configure(new CommandLine(new Drctl(copy::get)));
    }

    static Run run(Map<String, String> env, String... args) {
        return run(commandLine(env), args);
    }

    /** Runs {@code line} (drctl's, maybe with a test's subcommand added), stdout and stderr captured. */
    static Run run(CommandLine line, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * An environment with no configuration file (nothing of the machine's ~/.config), a token and
     * the given variables.
     */
    static Map<String, String> env(Path noConfig, String... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        env.put("DRCTL_CONFIG", noConfig.toString());
        env.put("DRCTL_TOKEN", "test-token");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }
}
