package ai.loopgpt.dr.cli;

/** Ends a command with a message for the operator (on stderr) and an exit code from {@link ExitCodes}. */
public final class CliException extends RuntimeException {

    private final int exitCode;
    private final String reason;

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /** With {@code reason}: what went wrong in a few words, for a report line (doctor's). */
    public CliException(int exitCode, String message, String reason) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.reason = reason;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What went wrong in a few words ("no connection (Connection refused)"), else the whole message. */
    public String reason() {
        return reason != null ? reason : getMessage();
    }

    public static CliException error(String message) {
        return new CliException(ExitCodes.ERROR, message);
    }
}
