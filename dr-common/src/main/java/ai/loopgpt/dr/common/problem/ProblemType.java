package ai.loopgpt.dr.common.problem;

import java.net.URI;

/** The stable problem types of the suite. Clients may switch on {@link #uri()}. */
public enum ProblemType {
    BAD_REQUEST(400, "Bad request"),
    MALFORMED_JSON(400, "Malformed JSON"),
    VALIDATION_FAILED(400, "Validation failed"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    UNPROCESSABLE(422, "Unprocessable request"),
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    INTERNAL(500, "Internal error");

    private static final String BASE = "https://status.loopgpt.ai/problems/";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return URI.create(BASE + name().toLowerCase().replace('_', '-'));
    }

    /** The generic type for a status that has no more specific one. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != MALFORMED_JSON && type != VALIDATION_FAILED) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
