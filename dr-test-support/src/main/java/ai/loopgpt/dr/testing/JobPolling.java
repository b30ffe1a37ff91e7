package ai.loopgpt.dr.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Waits for a job (a backup, a drill, a restore, a game day) by reading its record until a condition
 * holds, then hands the last record to the test as RestAssured's {@link JsonPath} for its assertions.
 *
 * <p>The polls themselves are plain HTTP and Jackson: a test asks several times a second for minutes,
 * and RestAssured is Groovy, its {@code JsonPath} compiling a Groovy script for each path it reads (in a
 * profile of a game-day test's JVM, a third of the samples were in RestAssured and Groovy).
 */
public final class JobPolling {

    /** The phases a job ends in. */
    public static final List<String> ENDED = List.of("SUCCEEDED", "FAILED");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobPolling() {
    }

    /** {@code path} of the application a {@code @QuarkusTest} runs, where Quarkus points RestAssured. */
    public static String underTest(String path) {
        return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path;
    }

    /** Reads {@code url} as {@code token}'s bearer every {@code every} until its {@code phase} is one of {@code phases}. */
    public static JsonPath awaitPhase(String url, String token, List<String> phases, Duration atMost, Duration every) {
        return await(url, token, record -> phases.contains(record.path("phase").asText()), atMost, every);
    }

    /** Reads {@code url} every {@code every} until {@code done} holds for the record; a status but 200 fails at once. */
    public static JsonPath await(String url, String token, Predicate<JsonNode> done, Duration atMost, Duration every) {
        AtomicReference<String> last = new AtomicReference<>();
        Awaitility.await(url).atMost(atMost).pollInterval(every).until(() -> {
            String body = get(url, token);
            last.set(body);
            return done.test(JSON.readTree(body));
        });
        return new JsonPath(last.get());
    }

    private static String get(String url, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
