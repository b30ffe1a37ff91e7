package ai.loopgpt.dr.common.retry;

/** Turning exceptions into what a person reads: the root cause, said in one line. */
public final class Failures {

    private Failures() {
    }

    /** The innermost cause of {@code e}. */
    public static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** "ConnectException: Connection refused", or just the class name when there is no message. */
    public static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
