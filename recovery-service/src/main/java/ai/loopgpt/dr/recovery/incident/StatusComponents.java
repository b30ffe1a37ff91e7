package ai.loopgpt.dr.recovery.incident;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Checks a declaration's components against status-service's before the incident exists: a
 * component the page does not know would have the public incident refused, and every later message
 * with it. When status-service cannot be asked, the declaration goes ahead (the outbox tells the
 * page when it answers, and a refusal shows on the incident).
 */
@ApplicationScoped
public class StatusComponents {

    private static final Logger LOG = Logger.getLogger(StatusComponents.class);

    private final RecoverySettings.Communication settings;
    private final ObjectMapper json;

    public StatusComponents(RecoverySettings settings, ObjectMapper json) {
        this.settings = settings.communication();
        this.json = json;
    }

    /** Refuses (400, naming the known ones) components status-service says it does not have. */
    public void check(List<String> components) {
        if (components == null || components.isEmpty()) {
            return;
        }
        Optional<TreeSet<String>> known = known();
        if (known.isEmpty()) {
            return;
        }
        List<String> unknown = components.stream().filter(c -> !known.get().contains(c)).distinct().toList();
        if (!unknown.isEmpty()) {
            throw ProblemException.badRequest("affectedComponents: status-service has no component "
                    + String.join(", ", unknown.stream().map(ProblemException::shorten).toList())
                    + "; its components are " + String.join(", ", known.get()) + ".");
        }
    }

    /**
     * Each of status-service's components and its status now, for a game day's drill copy.
     *
     * @throws IllegalStateException saying why they cannot be read (not configured, not answering)
     */
    public java.util.Map<String, String> statuses() {
        return read(Duration.ofSeconds(5));
    }

    /** status-service's component ids, or empty when it cannot be asked now. */
    private Optional<TreeSet<String>> known() {
        if (settings.statusUrl().isEmpty() || settings.token().isEmpty()) {
            return Optional.empty();
        }
        try {
            TreeSet<String> ids = new TreeSet<>(read(Duration.ofSeconds(3)).keySet());
            return ids.isEmpty() ? Optional.empty() : Optional.of(ids);
        } catch (IllegalStateException e) {
            LOG.warnf("The declaration's components are not checked: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** GET /api/v1/components on status-service: each component's id and status. */
    private java.util.Map<String, String> read(Duration timeout) {
        if (settings.statusUrl().isEmpty() || settings.token().isEmpty()) {
            throw new IllegalStateException("status-service is not configured (recovery.communication.status-url and "
                    + "token): its components cannot be read");
        }
        try {
            HttpResponse<String> response = ai.loopgpt.dr.common.outbox.PeerCall.get(URI.create(
                    settings.statusUrl().get().strip().replaceAll("/+$", "") + "/api/v1/components"),
                    settings.token().get(), timeout);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("status-service answered HTTP " + response.statusCode()
                        + " for its components");
            }
            java.util.Map<String, String> statuses = new java.util.TreeMap<>();
            JsonNode body = json.readTree(response.body());
            for (JsonNode component : body.isArray() ? body : body.path("items")) {
                statuses.put(component.path("id").asText(), component.path("status").asText());
            }
            return statuses;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("status-service did not answer for its components ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading status-service's components");
        }
    }
}
