package ai.loopgpt.dr.notification.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses to start with audiences that name Slack channels or webhooks nobody configured: better a
 * clear startup error than deliveries dying one by one during an incident.
 */
@Startup
@ApplicationScoped
public class SettingsCheck {

    public SettingsCheck(NotifySettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("notification-service configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(NotifySettings settings) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, NotifySettings.Audience> audience : settings.audiences().entrySet()) {
            for (String channel : audience.getValue().slack().orElse(List.of())) {
                if (!settings.slack().containsKey(channel)) {
                    problems.add("audience '" + audience.getKey() + "' names Slack channel '" + channel
                            + "', which has no notify.slack.\"" + channel + "\".webhook-url");
                }
            }
            for (String webhook : audience.getValue().webhook().orElse(List.of())) {
                if (!settings.webhooks().containsKey(webhook)) {
                    problems.add("audience '" + audience.getKey() + "' names webhook '" + webhook
                            + "', which has no notify.webhooks.\"" + webhook + "\".url and .secret");
                }
            }
        }
        return problems;
    }
}
