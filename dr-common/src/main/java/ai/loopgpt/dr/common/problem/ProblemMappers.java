package ai.loopgpt.dr.common.problem;

import ai.loopgpt.dr.common.problem.Problem.FieldError;
import ai.loopgpt.dr.common.request.RequestIds;
import ai.loopgpt.dr.text.Printable;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} answer. Client mistakes get
 * a 4xx with a detail saying what to fix; anything unexpected is logged with its stack trace and
 * answered 500 with only the request id, never the trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request) {
        Response response = respond(request, e.type(), e.type().status(), e.detail(), e.errors());
        // The rest of a body too large to read is not read: the connection cannot carry another request.
        return e.type() == ProblemType.PAYLOAD_TOO_LARGE
                ? Response.fromResponse(response).header("Connection", "close").build() : response;
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, ContainerRequestContext request) {
        return unauthenticated(request, "This endpoint needs a bearer token: send 'Authorization: Bearer <JWT>'.");
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, ContainerRequestContext request) {
        return unauthenticated(request,
                "The bearer token was rejected (expired, wrong issuer or bad signature). Get a fresh token from the configured issuer.");
    }

    @ServerExceptionMapper
    public Response authenticationCompletion(AuthenticationCompletionException e, ContainerRequestContext request) {
        return unauthenticated(request, "Authentication could not be completed. Get a fresh token and retry.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ContainerRequestContext request) {
        return respond(request, ProblemType.FORBIDDEN, 403,
                "Your token's roles do not allow this action. " + method(request) + " " + path(request)
                        + " needs a role that grants it (dr-viewer reads, dr-operator acts, dr-admin does destructive actions).",
                null);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, ContainerRequestContext request) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        String detail = errors.isEmpty() ? "The request is invalid."
                : "The request is invalid: " + errors.stream().limit(5).map(f -> f.field() + " " + f.message())
                        .collect(Collectors.joining("; ")) + (errors.size() > 5 ? "; and " + (errors.size() - 5)
                                + " more (see errors)" : "") + ".";
        return respond(request, ProblemType.VALIDATION_FAILED, 400, detail, errors);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unrecognizedProperty(UnrecognizedPropertyException e, ContainerRequestContext request) {
        String known = e.getKnownPropertyIds() == null ? "" : " Known fields: " + e.getKnownPropertyIds().stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ".";
        return respond(request, ProblemType.MALFORMED_JSON, 400,
                "Unknown field '" + e.getPropertyName() + "' in the request body." + known,
                List.of(new FieldError(jsonPath(e), "unknown field")));
    }

    /** Input of the wrong shape ([] for an object, null in a list …): our problem, not the framework's own JSON. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(com.fasterxml.jackson.databind.exc.MismatchedInputException e,
            ContainerRequestContext request) {
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidNullException) {
            String path = jsonPath(e);
            return respond(request, ProblemType.MALFORMED_JSON, 400, "Field '" + path + "' may not be null: leave it out "
                    + "or give it a value.", List.of(new FieldError(path, "may not be null")));
        }
        return jsonProblem(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e, ContainerRequestContext request) {
        String value = ProblemException.shorten(String.valueOf(e.getValue()));
        String message = String.valueOf(e.getOriginalMessage());
        if (message.endsWith("remove it") || message.endsWith("outside the years 1 to 9999")) {
            // Refused by the suite's own JSON guards (input.JsonGuards): their message says why.
            String why = message.substring(message.lastIndexOf(": ") + 2);
            return respond(request, ProblemType.MALFORMED_JSON, 400,
                    "Field '" + jsonPath(e) + "' has value '" + value + "', which " + why + ".",
                    List.of(new FieldError(jsonPath(e), why)));
        }
        String expected = e.getTargetType() == null ? "another type" : describe(e);
        return respond(request, ProblemType.MALFORMED_JSON, 400,
                "Field '" + jsonPath(e) + "' has value '" + value + "', which is not " + expected + ".",
                List.of(new FieldError(jsonPath(e), "expected " + expected)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMapping(JsonMappingException e, ContainerRequestContext request) {
        if (e.getCause() instanceof JsonParseException cause) {
            // Broken JSON met while reading a field: the syntax is the problem, not the shape.
            return jsonParse(cause, request);
        }
        String path = jsonPath(e);
        String where = path.isEmpty() ? "the request body" : "field '" + path + "'";
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException bad) {
            // A value type refused the value (e.g. an unknown code): its message says what is accepted.
            return respond(request, ProblemType.MALFORMED_JSON, 400, "Invalid value for " + where + ": "
                    + bad.getMessage() + ".", path.isEmpty() ? null : List.of(new FieldError(path, bad.getMessage())));
        }
        return respond(request, ProblemType.MALFORMED_JSON, 400,
                "The JSON does not fit the expected shape at " + where + ": " + plain(e.getOriginalMessage()) + ".",
                path.isEmpty() ? null : List.of(new FieldError(path, "wrong kind of value")));
    }

    /**
     * A JSON library's message said in the API's terms: Java type names become what a JSON client
     * knows (an object, an array, text, a number), and nothing names the code's packages or classes.
     */
    static String plain(String message) {
        if (message == null) {
            return "unexpected content";
        }
        String out = message.replaceAll("\\s*\\(through reference chain.*$", "")
                .replaceAll("(?s)\\s*at \\[Source.*$", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Cannot (?:deserialize|construct instance of) "
                + "(?:value of type )?`([^`]+)`.*?from (\\w+(?: \\w+)?)").matcher(out);
        if (m.find()) {
            return "expected " + kind(m.group(1)) + ", found " + m.group(2).replace(" value", "").toLowerCase(java.util.Locale.ROOT);
        }
        return out.replaceAll("`?(?:[a-z][a-z0-9_]*\\.)+([A-Z][\\w$]*)`?", "$1").replaceAll("\\w*Exception", "error");
    }

    private static String kind(String javaType) {
        String t = javaType.replaceAll("<.*", "");
        if (t.startsWith("java.util.List") || t.startsWith("java.util.Set") || t.endsWith("[]")) {
            return "an array";
        }
        if (t.startsWith("java.util.Map") || t.startsWith("ai.") || t.startsWith("com.")) {
            return "an object";
        }
        if (t.equals("java.lang.String") || t.equals("java.time.Instant") || t.equals("java.util.UUID")) {
            return "text";
        }
        if (t.matches("(int|long|double|java\\.lang\\.(Integer|Long|Double))")) {
            return "a number";
        }
        if (t.matches("(boolean|java\\.lang\\.Boolean)")) {
            return "true or false";
        }
        return "another kind of value";
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonParse(JsonParseException e, ContainerRequestContext request) {
        var location = e.getLocation();
        String at = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return respond(request, ProblemType.MALFORMED_JSON, 400,
                "The request body is not valid JSON" + at + ": " + plain(e.getOriginalMessage()) + ".", null);
    }

    @ServerExceptionMapper(priority = 2)
    public Response json(JsonProcessingException e, ContainerRequestContext request) {
        return respond(request, ProblemType.MALFORMED_JSON, 400,
                "The request body could not be read as JSON: " + plain(e.getOriginalMessage()) + ".", null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            // The JSON reader wraps Jackson's exception: answer what Jackson found.
            return jsonProblem(json, request);
        }
        if (status == 404 && e.getCause() instanceof ProblemException refused) {
            // A parameter converter refused a query or path value (JAX-RS would make that a 404): say why.
            return problem(refused, request);
        }
        if (status == 404 && e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS answers 404 for a path or query value that does not convert (an id that is no UUID): say so.
            return respond(request, ProblemType.forStatus(404), 404, "Nothing at " + path(request) + ": a path or query "
                    + "parameter has a value of the wrong form. Check the values against /q/openapi.", null);
        }
        if (status >= 500) {
            LOG.errorf(e, "Request %s %s failed", method(request), path(request));
            return respond(request, ProblemType.INTERNAL, status, internalDetail(request), null);
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "Nothing at " + path(request) + ". Check the path against /q/openapi.";
            case 405 -> method(request) + " is not allowed on " + path(request) + ".";
            case 406 -> "This endpoint cannot answer in the requested media type; accept application/json.";
            case 415 -> "This endpoint takes application/json; send that Content-Type.";
            default -> e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? type.title() + "." : e.getMessage();
        };
        Response problem = respond(request, type, status, detail, null);
        if (status == 405 && e.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
            return Response.fromResponse(problem).header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW)).build();
        }
        return problem;
    }

    private Response jsonProblem(JsonProcessingException e, ContainerRequestContext request) {
        if (e instanceof UnrecognizedPropertyException u) {
            return unrecognizedProperty(u, request);
        }
        if (e instanceof InvalidFormatException f) {
            return invalidFormat(f, request);
        }
        if (e instanceof JsonParseException p) {
            return jsonParse(p, request);
        }
        if (e instanceof JsonMappingException m) {
            return jsonMapping(m, request);
        }
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request) {
        if (DatabaseTrouble.isUnavailable(e)) {
            LOG.warnf("Request %s %s: the service database is unavailable (%s)", method(request), path(request),
                    DatabaseTrouble.describe(e));
            return Response.fromResponse(respond(request, ProblemType.SERVICE_UNAVAILABLE, 503,
                    "The service's database is not answering; nothing was changed by this request. Retry in a few "
                    + "seconds.", null)).header(HttpHeaders.RETRY_AFTER, DatabaseTrouble.RETRY_AFTER_SECONDS).build();
        }
        if (fromFormDecoder(e)) {
            return respond(request, ProblemType.BAD_REQUEST, 400, "The form could not be read: a malformed %-escape "
                    + "(write a literal '%' as %25) or more than 1,000 fields.", null);
        }
        LOG.errorf(e, "Request %s %s failed unexpectedly", method(request), path(request));
        return respond(request, ProblemType.INTERNAL, 500, internalDetail(request), null);
    }

    /** The framework's form decoder refusing a body (a bad %-escape, too many fields) before any resource ran. */
    private static boolean fromFormDecoder(Throwable e) {
        if (!(e instanceof IllegalArgumentException) && e.getClass() != RuntimeException.class) {
            return false;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.FormEncodedData")) {
                return true;
            }
            if (frame.getClassName().startsWith("ai.loopgpt.")) {
                return false;
            }
        }
        return false;
    }

    private static Response unauthenticated(ContainerRequestContext request, String detail) {
        return Response.fromResponse(respond(request, ProblemType.UNAUTHORIZED, 401, detail, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** Builds the problem+json response for {@code request}. */
    public static Response respond(ContainerRequestContext request, ProblemType type, int status, String detail,
            List<FieldError> errors) {
        // At most MAX_ERRORS field errors: a body with thousands of bad entries gets a short answer, not a copy of itself.
        List<FieldError> quoted = errors == null || errors.isEmpty() ? null : errors.stream().limit(MAX_ERRORS)
                .map(f -> new FieldError(printable(f.field()), printable(f.message())))
                .collect(Collectors.toCollection(java.util.ArrayList::new));
        if (errors != null && errors.size() > MAX_ERRORS) {
            quoted.add(new FieldError("…", (errors.size() - MAX_ERRORS) + " more not listed; fix these first"));
        }
        Problem body = new Problem(type.uri(), type.title(), status, printable(detail), printable(path(request)),
                RequestIds.of(request), quoted);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    /** The field errors a problem lists at most. */
    static final int MAX_ERRORS = 20;

    /** A whole detail, instance path or field error: one line, long enough for any detail the suite writes. */
    private static final Printable ANSWERED = Printable.ONE_LINE.atMost(2000);

    /** What a caller sent, quoted back: control characters escaped, at most 2,000 characters and "…" when cut. */
    static String printable(String text) {
        return ANSWERED.escape(text);
    }

    private static String internalDetail(ContainerRequestContext request) {
        return "The server failed to handle this request. Quote request id " + RequestIds.of(request)
                + " when reporting it.";
    }

    private static String path(ContainerRequestContext request) {
        return request == null ? null : "/" + request.getUriInfo().getPath(true).replaceFirst("^/", "");
    }

    private static String method(ContainerRequestContext request) {
        return request == null ? "" : request.getMethod();
    }

    /** A violation's field as the client knows it: {@code target}, {@code size}, {@code items[0].name}. */
    static String field(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> { }
                case PARAMETER -> parameter = node.getName();
                default -> names.add(node.getName() + (node.getIndex() != null ? "[" + node.getIndex() + "]" : ""));
            }
        }
        if (names.isEmpty()) {
            return parameter != null ? parameter : violation.getPropertyPath().toString();
        }
        return String.join(".", names);
    }

    private static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(InvalidFormatException e) {
        Class<?> type = e.getTargetType();
        if (type.isEnum()) {
            // Jackson's own message lists the accepted spellings, e.g. "[manual, pre-change]".
            String message = e.getOriginalMessage();
            int open = message.lastIndexOf('[');
            int close = message.lastIndexOf(']');
            return open >= 0 && close > open ? "one of " + message.substring(open + 1, close) : "an accepted value";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a valid " + type.getSimpleName();
    }
}
