package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.CliException;
import ai.loopgpt.dr.cli.Connection;
import ai.loopgpt.dr.cli.Drctl;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Failure;
import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the services: resolves the connection, runs, and turns what went wrong into
 * a message on stderr and an exit code from {@link ExitCodes}.
 */
public abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    protected Api api;
    protected Output output;
    protected PrintWriter err;

    @Override
    public final Integer call() {
        err = spec.commandLine().getErr();
        try {
            Duration timeout = Text.parseDuration(common.requestTimeout);
            output = new Output(spec.commandLine().getOut(), common.output);
            api = new Api(Connection.resolve(common.context, environment()), timeout);
            return run();
        } catch (IllegalArgumentException e) {
            // What the commands throw for a wrong option value ("'2x' is not a duration").
            return Failure.report(new CliException(ExitCodes.USAGE, Text.printable(e.getMessage())), err, this::redact);
        } catch (RuntimeException | VirtualMachineError e) {
            return Failure.report(e, err, this::redact);
        }
    }

    /** {@code text} without the secrets this command handled (its token…). */
    private String redact(String text) {
        return api == null ? text : api.connection().redact(text);
    }

    protected abstract int run();

    /** The DRCTL_* variables: drctl's environment ({@link Drctl#environment()}), the process's by default. */
    private java.util.function.Function<String, String> environment() {
        return spec.root().userObject() instanceof Drctl drctl ? drctl.environment() : System::getenv;
    }

    /** Prints, as a table of {@code columns}, the list {@code service} answers at {@code path}. */
    protected int list(Service service, String path, Map<String, Object> query, List<Column> columns) {
        output.list(service, api.get(service, path, query), columns);
        return ExitCodes.OK;
    }

    /** Posts {@code body} to {@code path} and prints the object {@code service} answers. */
    protected int post(Service service, String path, JsonNode body) {
        output.object(service, api.post(service, path, body));
        return ExitCodes.OK;
    }

    /**
     * Starts a {@code job} by posting {@code body} to its collection (--wait-timeout checked first),
     * then as {@link #started}.
     */
    protected int start(Follow.Job job, JsonNode body, WaitOptions wait, Consumer<JsonNode> summary) {
        wait.timeout();
        return started(api.post(job.service(), job.path(), body), wait, job, summary);
    }

    /**
     * Prints the job the service accepted; with --wait follows it to its end and says how it ended:
     * the exit code is OK only when it SUCCEEDED.
     */
    protected int started(JsonNode accepted, WaitOptions wait, Follow.Job job, Consumer<JsonNode> summary) {
        if (!wait.wait) {
            output.object(job.service(), accepted, "id");
            followHint(job, Json.text(accepted, "id"));
            return ExitCodes.OK;
        }
        return followed(accepted, wait, job, last -> {
            output.object(job.service(), last);
            if (summary != null && "SUCCEEDED".equals(Json.text(last, "phase"))) {
                summary.accept(last);
            }
        });
    }

    /**
     * Follows the {@code accepted} job to its end (--wait); {@code report} prints its last state for
     * people ({@code -o json|yaml}: the API's answer). The exit code is OK only when it SUCCEEDED;
     * else its failure is said on stderr and the exit code is FAILED.
     */
    protected int followed(JsonNode accepted, WaitOptions wait, Follow.Job job, Consumer<JsonNode> report) {
        JsonNode last = new Follow(api, err).until(job, accepted, wait.timeout());
        boolean succeeded = "SUCCEEDED".equals(Json.text(last, "phase"));
        if (output.forPeople()) {
            report.accept(last);
        } else {
            output.raw(last);
        }
        if (!succeeded) {
            err.println("Error: the " + job.noun() + " " + Text.printable(Json.text(last, "id")) + " ended "
                    + Text.printable(Json.text(last, "phase"))
                    + (Json.text(last, "failureReason") == null ? "" : ": " + Text.printable(Json.text(last, "failureReason"))));
            err.flush();
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /** For people: how to follow the job {@code id} that goes on without drctl waiting. */
    protected void followHint(Follow.Job job, String id) {
        if (output.forPeople()) {
            output.writer().printf("%nFollow it: %s %s (or add --wait)%n", job.showCommand(), Text.printable(id));
            output.writer().flush();
        }
    }

    /** Sets {@code field} of a request body when the option was given. */
    protected static void putIfSet(com.fasterxml.jackson.databind.node.ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    /** A required option given as text, checked early with a usage message. */
    protected static String required(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing " + option + ".");
        }
        return value.strip();
    }
}
