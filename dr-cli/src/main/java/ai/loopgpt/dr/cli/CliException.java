package ai.loopgpt.dr.cli;

/** Ends a command with a message for the operator (on stderr) and an exit code from {@link ExitCodes}. */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException error(String message) {
        return new CliException(ExitCodes.ERROR, message);
    }
}
