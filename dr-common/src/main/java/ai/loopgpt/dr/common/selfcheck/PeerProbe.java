package ai.loopgpt.dr.common.selfcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Self-checks of the wires to peer services: the peer answers at its URL and accepts this service's
 * token, and the notification-service audiences this service sends to exist and reach people on the
 * channels it asks for.
 */
public final class PeerProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a service sends messages: what for, the audience, the channels (empty: every channel it has). */
    public record AudienceUse(String purpose, String audience, Optional<List<String>> channels,
            String audienceSetting, String channelsSetting) {
    }

    private PeerProbe() {
    }

    /**
     * The peer answers at {@code url} and accepts {@code token} ({@code GET /api/v1/self-check/caller},
     * which every service serves to its callers with a suite role).
     */
    public static Check reach(String peer, String purpose, Optional<String> url, Optional<String> token,
            String urlSetting, String tokenSetting) {
        String name = peer + " (" + purpose + ")";
        if (url.isEmpty() || url.get().isBlank()) {
            return Check.fail(name, "no URL is configured: " + purpose + " wait in the outbox", "Set " + urlSetting + ".");
        }
        if (token.isEmpty() || token.get().isBlank()) {
            return Check.fail(name, "no token is configured for " + url.get(), "Set " + tokenSetting
                    + " to a dr-service token (from a Secret).");
        }
        String base = url.get().strip().replaceAll("/+$", "");
        try {
            HttpResponse<String> response = get(URI.create(base + "/api/v1/self-check/caller"), token.get());
            return switch (response.statusCode()) {
                case 200 -> Check.pass(name, "answers at " + base + " and accepts this service's token");
                case 401 -> Check.fail(name, base + " refused this service's token (HTTP 401: expired, malformed, or"
                        + " signed by an issuer it does not trust)", "Give " + tokenSetting
                        + " a current dr-service token from the issuer " + peer + " trusts.");
                case 403 -> Check.fail(name, base + " accepted the token but not its role (HTTP 403)",
                        "Issue " + tokenSetting + " with the role dr-service in its groups claim.");
                default -> Check.fail(name, base + " answered HTTP " + response.statusCode(),
                        "Check that " + urlSetting + " points at " + peer + " and that it is ready.");
            };
        } catch (IllegalArgumentException e) {
            return Check.fail(name, "the URL is not valid", "Correct " + urlSetting + ".");
        } catch (IOException e) {
            return Check.fail(name, "nothing answers at " + base + " (" + e.getClass().getSimpleName() + ")",
                    "Start " + peer + ", or correct " + urlSetting + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(name, "interrupted", "Run the check again.");
        }
    }

    /** Each audience this service sends to exists at notification-service with a usable channel. */
    public static List<Check> audiences(Optional<String> notificationUrl, Optional<String> token, List<AudienceUse> uses) {
        List<Check> checks = new ArrayList<>();
        if (notificationUrl.isEmpty() || token.isEmpty() || notificationUrl.get().isBlank() || token.get().isBlank()) {
            for (AudienceUse use : uses) {
                checks.add(Check.fail(audienceName(use), "cannot be checked: notification-service's URL or token is not"
                        + " configured", "Configure notification-service's URL and token (see the line above)."));
            }
            return checks;
        }
        String base = notificationUrl.get().strip().replaceAll("/+$", "");
        Map<String, List<String>> known = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = get(URI.create(base + "/api/v1/audiences"), token.get());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            for (JsonNode audience : JSON.readTree(response.body())) {
                List<String> channels = new ArrayList<>();
                audience.path("channels").forEach(c -> channels.add(c.asText()));
                known.put(audience.path("name").asText(), channels);
            }
        } catch (IOException | IllegalArgumentException e) {
            for (AudienceUse use : uses) {
                checks.add(Check.fail(audienceName(use), "notification-service's audiences could not be read ("
                        + e.getMessage() + ")", "Make notification-service reachable with this service's token."));
            }
            return checks;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return checks;
        }
        for (AudienceUse use : uses) {
            checks.add(audience(use, known));
        }
        return checks;
    }

    /** One audience use against notification-service's audiences (name → channels with recipients). */
    static Check audience(AudienceUse use, Map<String, List<String>> known) {
        String name = audienceName(use);
        List<String> has = known.get(use.audience());
        if (has == null) {
            return Check.fail(name, "notification-service has no audience '" + use.audience() + "' (it has: "
                    + String.join(", ", known.keySet()) + ")", "Define notify.audiences.\"" + use.audience()
                    + "\".email (or .slack, .webhook) in notification-service (chart: notification.audiences), or set "
                    + use.audienceSetting() + " to an audience that exists.");
        }
        if (use.channels().isEmpty()) {
            if (has.isEmpty()) {
                return Check.fail(name, "audience '" + use.audience() + "' has no recipient on any channel",
                        "Give notify.audiences.\"" + use.audience() + "\" an email address, a Slack channel or a webhook.");
            }
            return Check.pass(name, "audience '" + use.audience() + "' reaches people by " + String.join(", ", has));
        }
        List<String> missing = use.channels().get().stream().filter(c -> !has.contains(c)).toList();
        if (!missing.isEmpty()) {
            return Check.fail(name, "audience '" + use.audience() + "' has no " + String.join(", ", missing)
                    + " recipients, but " + use.channelsSetting() + " asks for " + String.join(", ", use.channels().get()),
                    "Add notify.audiences.\"" + use.audience() + "\"." + missing.get(0) + " in notification-service, or"
                    + " leave " + String.join(", ", missing) + " out of " + use.channelsSetting()
                    + " (unset, messages go out on every channel the audience has).");
        }
        return Check.pass(name, "audience '" + use.audience() + "' reaches people by " + String.join(", ", use.channels().get()));
    }

    private static String audienceName(AudienceUse use) {
        return "audience of " + use.purpose();
    }

    private static HttpResponse<String> get(URI uri, String token) throws IOException, InterruptedException {
        return ai.loopgpt.dr.common.outbox.PeerCall.get(uri, token, Duration.ofSeconds(10));
    }
}
