package ai.loopgpt.dr.common.problem;

import ai.loopgpt.dr.text.Printable;

/**
 * Thrown by services to answer a problem: a type and a detail a human can act on. Never put secrets
 * or stack traces in the detail.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final java.util.List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    /** A problem naming the fields at fault. */
    public ProblemException(ProblemType type, String detail, java.util.List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
    }

    /** The fields at fault, or null. */
    public java.util.List<Problem.FieldError> errors() {
        return errors;
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

    /** How a value is quoted inside a detail: one line, short enough to leave the sentence readable. */
    private static final Printable QUOTED = Printable.ONE_LINE.atMost(120);

    /** A value quoted back in a detail: control characters escaped, at most 120 characters and "…" when cut. */
    public static String shorten(String value) {
        return QUOTED.escape(value);
    }
}
