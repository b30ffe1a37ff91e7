package ai.loopgpt.dr.common.problem;

/**
 * Thrown by services to answer a problem: a type and a detail a human can act on. Never put secrets
 * or stack traces in the detail.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;

    public ProblemException(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return getMessage();
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(ProblemType.NOT_FOUND, "No " + what + " with id '" + id + "'.");
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }
}
