package ai.loopgpt.dr.cli;

/**
 * drctl's exit codes, stable for scripts and CronJobs (documented in dr-cli/README.md). Only
 * {@link #OK} means the work was done.
 */
public final class ExitCodes {

    /** Done: the call succeeded, or the followed job ended SUCCEEDED. */
    public static final int OK = 0;
    /** drctl itself could not go on: a bad configuration file, an answer it does not understand. */
    public static final int ERROR = 1;
    /** The job (backup, restore, rollback, drill) ended FAILED, or a check found a problem. */
    public static final int FAILED = 2;
    /** The service refused the call (4xx): wrong role, unknown id, bad input, a conflict. */
    public static final int REFUSED = 3;
    /** The service could not be reached within the timeout (down, wrong URL, network). */
    public static final int UNREACHABLE = 4;
    /** The service answered with a server error (5xx), e.g. its own database is down. */
    public static final int SERVER_ERROR = 5;
    /** --wait-timeout passed while the job was still running; it goes on. */
    public static final int STILL_RUNNING = 6;
    /** The command line was wrong (unknown option, missing argument). */
    public static final int USAGE = 64;

    private ExitCodes() {
    }
}
