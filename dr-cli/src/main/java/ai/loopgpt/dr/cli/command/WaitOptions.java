package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Text;
import java.time.Duration;
import picocli.CommandLine.Option;

/** --wait and --wait-timeout of the commands that start a job. */
public class WaitOptions {

    @Option(names = {"-w", "--wait"},
            description = "Follow the job to its end with its progress; exit 0 only if it SUCCEEDED. Ctrl-C stops "
                    + "waiting, never the job.")
    boolean wait;

    @Option(names = "--wait-timeout", paramLabel = "DURATION",
            description = "With --wait: give up waiting after this long (exit 6; the job goes on). Default: no limit.")
    String waitTimeout;

    Duration timeout() {
        return waitTimeout == null ? null : Text.parseDuration(waitTimeout);
    }
}
