package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Calls the services' REST APIs with the connection's token. A refusal (4xx) ends the command with
 * the problem's title, detail and request id and {@link ExitCodes#REFUSED}; a server error with
 * {@link ExitCodes#SERVER_ERROR}; no answer within the timeout with {@link ExitCodes#UNREACHABLE};
 * an answer larger than {@link BoundedBody#LIMIT} or not JSON with {@link ExitCodes#ERROR}. Calls go
 * to the service's URL only: no path can send them, and the token, elsewhere.
 */
public final class Api {

    private final Connection connection;
    private final Duration timeout;
    private final HttpClient http;

    public Api(Connection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Connection connection() {
        return connection;
    }

    /** How long one call may take (--request-timeout). */
    public Duration timeout() {
        return timeout;
    }

    /** Query parameters in order; null values are left out. */
    public static Map<String, Object> query(Object... keysAndValues) {
        Map<String, Object> query = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                query.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return query;
    }

    public JsonNode get(Service service, String path) {
        return json(send(service, "GET", path, null, null, "application/json"));
    }

    public JsonNode get(Service service, String path, Map<String, Object> query) {
        return json(send(service, "GET", path + queryString(query), null, null, "application/json"));
    }

    /** A text answer (Markdown reports). */
    public String getText(Service service, String path, Map<String, Object> query, String accept) {
        return send(service, "GET", path + queryString(query), null, null, accept).body();
    }

    public JsonNode post(Service service, String path, JsonNode body) {
        return json(send(service, "POST", path, body, null, "application/json"));
    }

    public JsonNode put(Service service, String path, JsonNode body) {
        return json(send(service, "PUT", path, body, null, "application/json"));
    }

    public JsonNode delete(Service service, String path, Map<String, Object> query) {
        return json(send(service, "DELETE", path + queryString(query), null, null, "application/json"));
    }

    /** Sends one call; any answer but a 2xx ends the command (see the class). */
    public HttpResponse<String> send(Service service, String method, String path, JsonNode body,
            Map<String, String> headers, String accept) {
        HttpResponse<String> response = exchange(service, method, path, body, headers, accept);
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        throw failure(service, method, path, response);
    }

    /**
     * Sends one call and returns whatever the service answered (for a caller that reads refusals
     * itself, as {@code doctor} does); only no answer at all ends the command.
     */
    public HttpResponse<String> exchange(Service service, String method, String path, JsonNode body,
            Map<String, String> headers, String accept) {
        String base = connection.url(service);
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw CliException.error("drctl cannot call " + service.title() + " at " + Text.printable(base) + " for "
                    + Text.printable(path) + ": not a valid URL.");
        }
        URI baseUri = URI.create(base);
        if (!baseUri.getScheme().equalsIgnoreCase(uri.getScheme())
                || !java.util.Objects.equals(baseUri.getRawAuthority(), uri.getRawAuthority())) {
            throw CliException.error("drctl does not call " + Text.printable(path) + ": it is not on " + service.title()
                    + " at " + Text.printable(base) + ".");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept + ", application/problem+json");
        String token = connection.tokenSource().token(timeout);
        try {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        } catch (IllegalArgumentException e) {
            // The token sources refuse what a header cannot carry; never say what it held.
            throw CliException.error("The token (" + connection.tokenSource().describe() + ") cannot be sent in an HTTP "
                    + "header; it must hold the token alone.");
        }
        if (headers != null) {
            headers.forEach(request::header);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), BoundedBody.handler(BoundedBody.LIMIT));
        } catch (IOException e) {
            if (BoundedBody.tooLarge(e)) {
                throw new CliException(ExitCodes.ERROR, "The answer from " + service.title() + " to " + method + " "
                        + Text.printable(path) + " is larger than " + BoundedBody.describe(BoundedBody.LIMIT)
                        + "; drctl reads no more of an answer. Ask for less (--size, filters), or check that "
                        + Text.printable(base) + " is " + service.title() + ".",
                        "answer larger than " + BoundedBody.describe(BoundedBody.LIMIT));
            }
            throw unreachable(service, base, unreachableReason(e, timeout, connection::redact));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.error("Interrupted.");
        }
        return response;
    }

    /** Why a call got no answer, in a few words, with nothing secret a library may have put in its message. */
    static String unreachableReason(IOException e, Duration timeout, java.util.function.UnaryOperator<String> redact) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return "no connection" + reason(e, redact);
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + Text.duration(timeout);
        }
        return e.getClass().getSimpleName() + reason(e, redact);
    }

    private CliException unreachable(Service service, String base, String why) {
        return new CliException(ExitCodes.UNREACHABLE, "Cannot reach " + service.title() + " at " + Text.printable(base)
                + ": " + why + ". Is it running, and is the URL right? (" + service.environmentVariable()
                + " or the context's " + service.configKey() + "; context: "
                + (connection.contextName() == null ? "none" : Text.printable(connection.contextName())) + ")", why);
    }

    private static String reason(Exception e, java.util.function.UnaryOperator<String> redact) {
        return e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + Text.printable(redact.apply(e.getMessage())) + ")";
    }

    /**
     * A refusal or server error as the operator reads it (the problem+json's title, detail and
     * request id), with its exit code: {@link ExitCodes#REFUSED} or {@link ExitCodes#SERVER_ERROR}.
     */
    public CliException failure(Service service, String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode problem = null;
        try {
            problem = Json.MAPPER.readTree(response.body());
        } catch (IOException notJson) {
            // Described from the status alone.
        }
        String title = problem != null ? Json.text(problem, "title") : null;
        String detail = problem != null ? Json.text(problem, "detail") : null;
        String requestId = problem != null && Json.text(problem, "requestId") != null ? Json.text(problem, "requestId")
                : response.headers().firstValue("X-Request-Id").orElse(null);
        StringBuilder message = new StringBuilder();
        message.append(service.title()).append(" refused ").append(method).append(' ').append(Text.printable(path))
                .append(": ").append(title != null ? Text.printable(title) : "HTTP " + status).append(" (HTTP ")
                .append(status).append(')');
        if (detail != null) {
            message.append("\n  ").append(Text.printable(detail));
        } else if (problem == null && !response.body().isBlank()) {
            String body = response.body().strip();
            message.append("\n  ").append(Text.printable(body.length() > 300 ? body.substring(0, 300) + "…" : body));
        }
        if (status == 401) {
            message.append("\n  The token (").append(connection.tokenSource().describe())
                    .append(") is missing, expired or not accepted by this service.");
        }
        if (requestId != null) {
            message.append("\n  request id: ").append(Text.printable(requestId));
        }
        response.headers().firstValue("Retry-After").ifPresent(after ->
                message.append("\n  retry after: ").append(Text.printable(after)).append(" s"));
        if (status >= 500) {
            return new CliException(ExitCodes.SERVER_ERROR, message.toString().replaceFirst(" refused ", " failed "));
        }
        return new CliException(ExitCodes.REFUSED, message.toString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        if (response.body() == null || response.body().isBlank()) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw CliException.error("The answer of " + response.uri() + " is not JSON: "
                    + Text.printable(response.body().length() > 200 ? response.body().substring(0, 200) : response.body()));
        }
    }

    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String queryString(Map<String, Object> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> joined.add(segment(k) + "=" + segment(String.valueOf(v))));
        return joined.toString();
    }
}
