package ai.loopgpt.dr.backup.drill;

import ai.loopgpt.dr.backup.config.BackupSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * recovery-service's restore API, as a restore drill uses it, and its game days, as the drill report
 * shows them (dr-service token).
 */
@ApplicationScoped
public class RecoveryClient {

    private final BackupSettings.Drills settings;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RecoveryClient(BackupSettings settings, ObjectMapper json) {
        this.settings = settings.drills();
        this.json = json;
    }

    /** recovery-service failed or refused: what it said, for the drill's failure reason. */
    public static final class RecoveryFailure extends Exception {
        RecoveryFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** Asks for a drill restore of {@code backupId} into the scratch destination; returns the restore's id. */
    public UUID startDrill(UUID backupId) throws RecoveryFailure, InterruptedException {
        JsonNode answer = send(HttpRequest.newBuilder(uri("/api/v1/restores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("backupId", backupId.toString(),
                        "destination", settings.scratchDestination(), "mode", "drill")))), 202);
        return UUID.fromString(answer.path("id").asText());
    }

    /** The restore as recovery-service shows it. */
    public JsonNode restore(UUID id) throws RecoveryFailure, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/api/v1/restores/" + id)).GET(), 200);
    }

    /** Whether both recovery-service settings are there: its URL and a token. */
    public boolean configured() {
        return settings.recoveryUrl().isPresent() && settings.recoveryToken().isPresent();
    }

    /** The game days started since {@code since}, newest first, as recovery-service shows them: a JSON array. */
    public JsonNode gameDays(Instant since) throws RecoveryFailure, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/api/v1/drills/game-days?since="
                + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8))).GET(), 200);
    }

    private URI uri(String path) throws RecoveryFailure {
        String base = settings.recoveryUrl().orElseThrow(() -> new RecoveryFailure(
                "backup.drills.recovery-url is not set: restore drills need recovery-service."));
        return URI.create(base.replaceAll("/+$", "") + path);
    }

    private JsonNode send(HttpRequest.Builder request, int expected) throws RecoveryFailure, InterruptedException {
        String token = settings.recoveryToken().orElseThrow(() -> new RecoveryFailure(
                "backup.drills.recovery-token is not set: restore drills need a dr-service token for recovery-service."));
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RecoveryFailure("recovery-service does not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ").");
        }
        JsonNode body;
        try {
            body = json.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            throw new RecoveryFailure("recovery-service answered " + response.statusCode() + " with a body that is not JSON.");
        }
        if (response.statusCode() != expected) {
            throw new RecoveryFailure("recovery-service answered " + response.statusCode()
                    + (body.hasNonNull("detail") ? ": " + body.get("detail").asText() : "."));
        }
        return body;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
