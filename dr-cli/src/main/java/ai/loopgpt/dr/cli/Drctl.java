package ai.loopgpt.dr.cli;

import ai.loopgpt.dr.cli.command.AuditCommand;
import ai.loopgpt.dr.cli.command.BackupCommand;
import ai.loopgpt.dr.cli.command.CompletionCommand;
import ai.loopgpt.dr.cli.command.ContextCommand;
import ai.loopgpt.dr.cli.command.DoctorCommand;
import ai.loopgpt.dr.cli.command.DrillCommand;
import ai.loopgpt.dr.cli.command.IncidentCommand;
import ai.loopgpt.dr.cli.command.NotifyCommand;
import ai.loopgpt.dr.cli.command.ProviderCommand;
import ai.loopgpt.dr.cli.command.RestoreCommand;
import ai.loopgpt.dr.cli.command.RollbackCommand;
import ai.loopgpt.dr.cli.command.RunbookCommand;
import ai.loopgpt.dr.cli.command.StatusCommand;
import ai.loopgpt.dr.cli.command.TargetsCommand;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** drctl: the operators' command-line tool over the suite's four APIs, and what its CronJobs run. */
@TopCommand
@Command(name = "drctl", mixinStandardHelpOptions = true, versionProvider = Drctl.Version.class,
        description = "Runs LoopGPT's Disaster Recovery Plan from a terminal or a CronJob: backups, restores, "
                + "rollbacks, drills, incidents, the status page and notifications.",
        subcommands = {BackupCommand.class, RestoreCommand.class, RollbackCommand.class, DrillCommand.class,
                IncidentCommand.class, RunbookCommand.class, ProviderCommand.class, StatusCommand.class,
                NotifyCommand.class, TargetsCommand.class, AuditCommand.class, DoctorCommand.class,
                ContextCommand.class, CompletionCommand.class},
        footer = {"%nExit codes: 0 done (the job SUCCEEDED), 1 drctl error, 2 the job FAILED or a check failed,",
                "  3 refused by the service (4xx), 4 service unreachable, 5 service error (5xx),",
                "  6 still running after --wait-timeout, 64 bad command line, 130 interrupted (Ctrl-C).",
                "%nExamples:", "  drctl backup create --target loopgpt --wait",
                "  drctl restore create --target loopgpt --latest --destination loopgpt --wait",
                "  drctl incident declare --title 'Orders database down' --scenario database-failure --severity MAJOR",
                "  drctl doctor"})
public class Drctl {

    private final Function<String, String> environment;

    public Drctl() {
        this(System::getenv);
    }

    /** drctl in the given environment (variables DRCTL_*): the process's, or a test's. */
    public Drctl(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Where commands read DRCTL_* variables from. */
    public Function<String, String> environment() {
        return environment;
    }

    /**
     * drctl's settings on a command line: exit 64 (EX_USAGE) for a wrong command line on every
     * command, case-insensitive enum values, help as wide as the terminal (at least 120 columns),
     * and UTF-8 on stdout and stderr whatever the locale (a CronJob's is often POSIX): JSON is UTF-8,
     * and doctor prints ✓ and ✗. A failure no command handled ends with one line on stderr and exit 1
     * ({@link Failure}).
     */
    public static CommandLine configure(CommandLine line) {
        exitCodeOnInvalidInput(line);
        // The last resort for what a command did not handle: one line and exit 1, never a stack trace.
        line.setExecutionExceptionHandler((failure, command, parsed) ->
                Failure.report(failure, command.getErr(), UnaryOperator.identity()));
        line.setCaseInsensitiveEnumValuesAllowed(true);
        // Examples are long command lines: wrap help at the terminal's width, at least 120 columns.
        line.setUsageHelpWidth(120);
        line.setUsageHelpAutoWidth(true);
        line.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        line.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        return line;
    }

    private static void exitCodeOnInvalidInput(CommandLine line) {
        line.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        line.getSubcommands().values().forEach(Drctl::exitCodeOnInvalidInput);
    }

    /** The version from the jar's manifest. */
    static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Drctl.class.getPackage().getImplementationVersion();
            return new String[] {"drctl " + (v == null ? "1.0.0-SNAPSHOT" : v)};
        }
    }

    /** The command line with drctl's settings ({@link #configure}). */
    @ApplicationScoped
    static class CommandLineProducer {
        @Produces
        CommandLine commandLine(PicocliCommandLineFactory factory) {
            return configure(factory.create());
        }
    }
}
