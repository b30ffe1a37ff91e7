package ai.loopgpt.dr.common.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One call of an outbox to a peer service with a dr-service token, and what to do next: it was
 * taken (2xx), it was refused for good (a 4xx other than 408/425/429: dead-letter it), or try again
 * later (the peer is down, slow or overloaded).
 */
public final class PeerCall {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PeerCall() {
    }

    /** What to do with the message after the call. */
    public enum Kind { SENT, RETRY, DEAD }

    /** The call's outcome; {@code error} says why for RETRY and DEAD; {@code body} is the peer's answer when SENT. */
    public record Outcome(Kind kind, String error, String body) {
        public Outcome(Kind kind, String error) {
            this(kind, error, null);
        }
    }

    /**
     * A read from a peer with this service's token, answered within {@code timeout}: what self-checks
     * and watchers use (the answer as it came, whatever its status).
     */
    public static HttpResponse<String> get(URI uri, String token, Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token.strip())
                .header("Accept", "application/json").timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What an answer's status means for the message: taken (2xx); refused for good (a 4xx: the
     * message itself is wrong and sending it again cannot help), except 408, 425 and 429, which say
     * "later"; anything else (5xx, a redirect) is worth another try.
     */
    public static Kind after(int status) {
        if (status >= 200 && status < 300) {
            return Kind.SENT;
        }
        boolean permanent = status >= 400 && status < 500 && status != 408 && status != 425 && status != 429;
        return permanent ? Kind.DEAD : Kind.RETRY;
    }

    public static Outcome send(String method, URI uri, String token, String json) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                    .method(method, HttpRequest.BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Kind kind = after(response.statusCode());
            String body = response.body();
            return kind == Kind.SENT ? new Outcome(kind, null, body)
                    : new Outcome(kind, "HTTP " + response.statusCode() + ": " + body.substring(0, Math.min(500, body.length())));
        } catch (IOException e) {
            return new Outcome(Kind.RETRY, "not answering (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.RETRY, "interrupted");
        }
    }
}
