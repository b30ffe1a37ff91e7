package ai.loopgpt.dr.cli;

import java.io.PrintWriter;
import java.util.function.UnaryOperator;

/**
 * How every drctl command ends when something went wrong: the message on stderr, never a stack
 * trace nor a secret, and an exit code from {@link ExitCodes}. A {@link CliException} says what
 * happened and its code; anything else is a defect of drctl, reported on one line with exit 1.
 */
public final class Failure {

    private Failure() {
    }

    /**
     * Prints {@code failure} to {@code err} with {@code redact} (the command's secrets taken out) and
     * returns its exit code.
     */
    public static int report(Throwable failure, PrintWriter err, UnaryOperator<String> redact) {
        String message;
        int exit;
        if (failure instanceof CliException e) {
            message = e.getMessage();
            exit = e.exitCode();
        } else if (failure instanceof OutOfMemoryError) {
            message = "drctl ran out of memory and stopped.";
            exit = ExitCodes.ERROR;
        } else {
            String said = failure.getMessage() == null ? "" : failure.getMessage().strip();
            int end = said.indexOf('\n');
            said = end < 0 ? said : said.substring(0, end);
            said = said.length() > 200 ? said.substring(0, 200) + "…" : said;
            message = "drctl stopped on an unexpected " + failure.getClass().getSimpleName()
                    + (said.isEmpty() ? "" : " (" + Text.printable(said) + ")") + "; please report it with the command line.";
            exit = ExitCodes.ERROR;
        }
        err.println("Error: " + Secrets.redactCredentials(redact.apply(message)));
        err.flush();
        return exit;
    }
}
