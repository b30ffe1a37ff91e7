package ai.loopgpt.dr.notification.channel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * POSTs JSON to Slack and webhook receivers and sorts the answer: 2xx sent; 408, 425, 429 and 5xx
 * transient (with the receiver's {@code Retry-After}); any other 4xx permanent; no answer transient.
 * Errors never carry the URL, which for Slack is a secret.
 */
final class HttpPoster {

    private final HttpClient client;
    private final Duration timeout;

    HttpPoster(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    DeliveryOutcome post(String url, String json, Map<String, String> headers) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            // Said without the URL itself: for Slack it carries the webhook's token.
            return new DeliveryOutcome.Permanent("The configured URL is not a valid http(s) URL.");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "LoopGPT-DR-notification-service")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new DeliveryOutcome.Transient("No answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new DeliveryOutcome.Transient(ai.loopgpt.dr.common.retry.Failures.describe(e).replace(url, "<url>"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Transient("Interrupted");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return DeliveryOutcome.SENT;
        }
        String body = response.body() == null ? "" : response.body().strip();
        String error = "HTTP " + status + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new DeliveryOutcome.Transient(error, retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        return new DeliveryOutcome.Permanent(error);
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
