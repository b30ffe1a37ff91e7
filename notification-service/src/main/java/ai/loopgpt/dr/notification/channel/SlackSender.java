package ai.loopgpt.dr.notification.channel;

import ai.loopgpt.dr.notification.config.NotifySettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack through each channel's incoming webhook, as Block Kit. Posts to one channel are spaced by
 * its {@code min-interval} (Slack allows about one a second), and a 429 holds the whole channel
 * for its {@code Retry-After}: deliveries waiting for the channel are deferred, not failed.
 */
@ApplicationScoped
public class SlackSender implements ChannelSender {

    private final NotifySettings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpPoster http;
    private final Map<String, Instant> nextSlot = new ConcurrentHashMap<>();

    public SlackSender(NotifySettings settings, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.http = new HttpPoster(settings.delivery().httpTimeout());
    }

    @Override
    public String channel() {
        return "slack";
    }

    @Override
    public DeliveryOutcome send(OutgoingMessage out) {
        String name = out.delivery().recipient;
        NotifySettings.SlackChannel channel = settings.slack().get(name);
        if (channel == null) {
            return new DeliveryOutcome.Permanent("No Slack channel named '" + name + "' is configured (notify.slack).");
        }
        Duration wait = takeSlot(name, channel.minInterval());
        if (wait != null) {
            return new DeliveryOutcome.Deferred(wait);
        }
        String body = SlackMessage.of(json, out.message(), "LoopGPT DR · " + out.notification().template
                + " · notification " + out.notification().id).toString();
        DeliveryOutcome outcome = http.post(channel.webhookUrl(), body, Map.of());
        if (outcome instanceof DeliveryOutcome.Transient t && t.retryAfter() != null) {
            Instant until = clock.instant().plus(t.retryAfter());
            nextSlot.merge(name, until, (a, b) -> a.isAfter(b) ? a : b);
        }
        return outcome;
    }

    /** Null when the channel may be posted to now (and books the next slot); else how long to wait. */
    private Duration takeSlot(String name, Duration interval) {
        Duration[] wait = new Duration[1];
        nextSlot.compute(name, (key, slot) -> {
            Instant now = clock.instant();
            if (slot != null && slot.isAfter(now)) {
                wait[0] = Duration.between(now, slot);
                return slot;
            }
            return now.plus(interval);
        });
        return wait[0];
    }
}
