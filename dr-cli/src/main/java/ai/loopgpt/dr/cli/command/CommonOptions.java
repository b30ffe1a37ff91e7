package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Output;
import picocli.CommandLine.Option;

/** The options every API command takes. */
public class CommonOptions {

    @Option(names = "--context", paramLabel = "NAME",
            description = "The context to use (default: $DRCTL_CONTEXT, else the current context).")
    String context;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people, default), json or yaml (the API's answer, for scripts).")
    Output.Format output;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long one call may take before the service counts as unreachable (default: ${DEFAULT-VALUE}).")
    String requestTimeout;
}
