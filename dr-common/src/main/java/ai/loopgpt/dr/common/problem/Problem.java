package ai.loopgpt.dr.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error answered by the suite.
 *
 * @param type stable URI naming the kind of problem (see {@link ProblemType})
 * @param title short summary of the problem type
 * @param status the HTTP status code
 * @param detail what went wrong in this occurrence, written for a human to act on
 * @param instance the request path
 * @param requestId the request id, also in the logs and the {@code X-Request-Id} header
 * @param errors field-level errors of a failed validation, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        URI type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field of a request: where it is (e.g. {@code body.target}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
