package ai.loopgpt.dr.notification.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsCheckTest {

    record Audience(Optional<List<String>> email, Optional<List<String>> slack, Optional<List<String>> webhook)
            implements NotifySettings.Audience {
    }

    record Slack(String webhookUrl, Duration minInterval) implements NotifySettings.SlackChannel {
    }

    record Hook(String url, String secret) implements NotifySettings.Webhook {
    }

    static NotifySettings settings(Map<String, NotifySettings.Audience> audiences, Map<String, NotifySettings.SlackChannel> slack,
            Map<String, NotifySettings.Webhook> webhooks) {
        return new NotifySettings() {
            public Map<String, Audience> audiences() {
                return audiences;
            }

            public Map<String, SlackChannel> slack() {
                return slack;
            }

            public Map<String, Webhook> webhooks() {
                return webhooks;
            }

            public Delivery delivery() {
                return null;
            }

            public String publicUrl() {
                return "http://localhost";
            }

            public Subscribers subscribers() {
                return null;
            }

            public StatusPeer status() {
                return null;
            }
        };
    }

    @Test
    void audiencesNamingUnconfiguredSlackChannelsOrWebhooksAreReported() {
        NotifySettings bad = settings(
                Map.of("on-call", new Audience(Optional.of(List.of("a@b.c")), Optional.of(List.of("incidents", "typo")),
                        Optional.of(List.of("bridge")))),
                Map.of("incidents", new Slack("https://hooks.example/x", Duration.ofSeconds(1))),
                Map.of());
        List<String> problems = SettingsCheck.problems(bad);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("'typo'") && problems.get(0).contains("notify.slack.\"typo\".webhook-url"));
        assertTrue(problems.get(1).contains("'bridge'"));
        // The webhook URL (a secret) is never part of the message.
        assertTrue(problems.stream().noneMatch(p -> p.contains("hooks.example")));

        NotifySettings good = settings(
                Map.of("on-call", new Audience(Optional.empty(), Optional.of(List.of("incidents")), Optional.empty())),
                Map.of("incidents", new Slack("https://hooks.example/x", Duration.ofSeconds(1))), Map.of());
        assertEquals(List.of(), SettingsCheck.problems(good));
    }
}
