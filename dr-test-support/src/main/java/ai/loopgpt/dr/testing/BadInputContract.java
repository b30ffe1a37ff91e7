package ai.loopgpt.dr.testing;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a service's own OpenAPI document and sends every operation bad input: junk, NUL, huge and
 * overflowing values in its path and query parameters; malformed, wrong-shaped and oversized JSON,
 * and each field of its body set to a value of the wrong kind; a wrong content type. Without a token
 * and with one of each role. What a client must see: a 4xx {@code application/problem+json} with a
 * detail (or a documented success), never a 5xx, never an empty body or a stack trace. Thousands of
 * requests: sent with the JDK's HTTP client, exactly as written (no charset added, no re-encoding).
 */
final class BadInputContract {

    private static final String MEGABYTE = "x".repeat(1 << 20);
    private static final List<String> PATH_VALUES = List.of("x", UUID.randomUUID().toString(), "%00", "a%00b",
            "y".repeat(300), "-1", "2147483648", "%2E%2E");
    private static final List<String> QUERY_VALUES = List.of("", "\u0000", "z".repeat(2000), "-1", "2147483647",
            "99999999999999999999", "-999999999-01-01T00:00:00Z", "null", "\u001b[31m");
    private static final List<String> BODIES = List.of("", "{", "[]", "123", "\"text\"", "null", "{\"x\":[null]}",
            "{\"a\":\"" + MEGABYTE + "\"}", "[" + "1,".repeat(10_000) + "1]");
    private static final List<String> FORM_BODIES = List.of("%zz", "email=%zz", "email=%", "%zz=1", "email=a%00b%40x.example",
            "email=%1B%5B31m%40x.example", "components=%00", "email=" + "v".repeat(1 << 20), "===&&&",
            java.util.stream.IntStream.range(0, 1_001).mapToObj(i -> "p" + i + "=1")
                    .collect(java.util.stream.Collectors.joining("&")));
    private static final List<String> FIELD_VALUES = List.of("[]", "123", "{\"a\":1}", "true", "null", "\"\\u0000\"",
            "[null]", "{\"k\":null}", "\"-999999999-01-01T00:00:00Z\"", "\"" + "w".repeat(100_000) + "\"", "-1",
            "2147483648");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final JsonPath api;
    private final List<String> failures = new ArrayList<>();
    private int requests;
    private int refusedMutations;
    private final String actor = "fuzz-" + UUID.randomUUID() + "@loopgpt.test";

    BadInputContract(JsonPath api) {
        this.api = api;
    }

    List<String> failures() {
        return failures;
    }

    int requests() {
        return requests;
    }

    /** The actor of the dr-operator token used, whose refused mutating calls must all be in the audit log. */
    String operatorActor() {
        return actor;
    }

    int refusedMutationsAsOperator() {
        return refusedMutations;
    }

    void run() {
        Map<String, Map<String, Object>> paths = api.getMap("paths");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("none", null);
        tokens.put("viewer", Tokens.viewer());
        tokens.put("operator", Tokens.as(actor, "dr-operator"));
        tokens.put("admin", Tokens.admin());
        tokens.put("service", Tokens.service());
        paths.forEach((template, operations) -> operations.forEach((method, raw) -> {
            if (!List.of("get", "post", "put", "delete", "patch").contains(method) || !(raw instanceof Map<?, ?> op)) {
                return;
            }
            List<Map<String, Object>> parameters = parameters(op);
            // Pages for people (confirm, unsubscribe) answer in HTML, as documented; the rest in problem+json.
            boolean html = String.valueOf(op.get("responses")).contains("text/html");
            boolean hasBody = op.containsKey("requestBody");
            boolean form = hasBody && String.valueOf(op.get("requestBody")).contains("application/x-www-form-urlencoded");
            List<String> fields = hasBody ? fields(op) : List.of();
            tokens.forEach((role, token) -> {
                for (String value : PATH_VALUES) {
                    if (template.contains("{")) {
                        send(role, token, method, fill(template, value), Map.of(), hasBody ? "{}" : null, "path=" + value, html);
                    }
                }
                for (Map<String, Object> p : parameters) {
                    if (!"query".equals(p.get("in"))) {
                        continue;
                    }
                    for (String value : QUERY_VALUES) {
                        send(role, token, method, fill(template, "x"), Map.of((String) p.get("name"), value),
                                hasBody ? "{}" : null, "query " + p.get("name") + "=" + shorten(value), html);
                    }
                }
            });
            if (!hasBody) {
                return;
            }
            for (String role : List.of("none", "operator", "admin", "service")) {
                String token = tokens.get(role);
                String path = fill(template, "x");
                for (String body : form ? FORM_BODIES : List.<String>of()) {
                    sendAs(role, token, method, path, "application/x-www-form-urlencoded", body, "form " + shorten(body),
                            html);
                }
                for (String body : BODIES) {
                    send(role, token, method, path, Map.of(), body, "body " + shorten(body), html);
                }
                for (String field : fields) {
                    for (String value : FIELD_VALUES) {
                        send(role, token, method, path, Map.of(), "{\"" + field + "\":" + value + "}",
                                "field " + field + "=" + shorten(value), html);
                    }
                }
                sendAs(role, token, method, path, "text/plain", "hello", "content-type text/plain", html);
            }
        }));
    }

    private void send(String role, String token, String method, String path, Map<String, String> query, String body,
            String what, boolean html) {
        StringBuilder target = new StringBuilder(path);
        query.forEach((name, value) -> target.append(target.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        sendAs(role, token, method, target.toString(), body == null ? null : "application/json", body, what, html);
    }

    private void sendAs(String role, String token, String method, String path, String type, String body, String what,
            boolean html) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + RestAssured.basePath + path))
                .timeout(Duration.ofSeconds(60))
                .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            request.header("Content-Type", type);
        }
        try {
            check(role, method, path, what, HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
                    html);
        } catch (IOException e) {
            throw new UncheckedIOException(method.toUpperCase() + " " + shorten(path) + " (" + what + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void check(String role, String method, String path, String what, HttpResponse<String> response, boolean html) {
        requests++;
        int status = response.statusCode();
        String body = response.body();
        String where = method.toUpperCase() + " " + shorten(path) + " (" + what + ", token " + role + ") → " + status;
        if (status >= 500) {
            failures.add(where + ": " + shorten(body));
            return;
        }
        if (status >= 400) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (html && type.startsWith("text/html") && !body.isBlank()) {
                return; // A page for people, as documented.
            }
            if (!type.startsWith("application/problem+json")) {
                failures.add(where + ": content type " + type + ": " + shorten(body));
            } else if (body.isBlank() || !body.contains("\"detail\"")) {
                failures.add(where + ": no detail");
            } else if (body.contains("Exception") || body.contains("\tat ") || body.contains("ai.loopgpt.")) {
                failures.add(where + ": internals in " + shorten(body));
            } else if (body.length() > 20_000) {
                failures.add(where + ": a " + body.length() + "-character answer");
            }
            if ("operator".equals(role) && !"get".equals(method)) {
                refusedMutations++;
            }
        }
    }

    private static String fill(String template, String value) {
        return template.replaceAll("\\{[^}]+}", value);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parameters(Map<?, ?> op) {
        Object p = op.get("parameters");
        return p instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** The top-level fields of the operation's JSON body, from its schema. */
    @SuppressWarnings("unchecked")
    private List<String> fields(Map<?, ?> op) {
        try {
            Map<String, Object> content = (Map<String, Object>) ((Map<String, Object>) op.get("requestBody")).get("content");
            Map<String, Object> json = (Map<String, Object>) content.get("application/json");
            if (json == null) {
                return List.of();
            }
            Map<String, Object> schema = (Map<String, Object>) json.get("schema");
            if (schema.containsKey("$ref")) {
                String name = ((String) schema.get("$ref")).substring("#/components/schemas/".length());
                schema = api.getMap("components.schemas." + name);
            }
            Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
            return properties == null ? List.of() : new ArrayList<>(properties.keySet());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String shorten(String s) {
        String one = s.replace("\u0000", "\\0").replace("\n", " ");
        return one.length() > 80 ? one.substring(0, 80) + "…(" + one.length() + ")" : one;
    }
}
