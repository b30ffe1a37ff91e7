package ai.loopgpt.dr.notification.channel;

import ai.loopgpt.dr.notification.config.NotifySettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;

/**
 * Generic webhooks: a JSON document per delivery, signed with the webhook's secret (see
 * {@link WebhookSignature}); {@code X-LoopGPT-Delivery} lets a receiver drop a repeat.
 */
@ApplicationScoped
public class WebhookSender implements ChannelSender {

    private final NotifySettings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpPoster http;

    public WebhookSender(NotifySettings settings, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.http = new HttpPoster(settings.delivery().httpTimeout());
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    public DeliveryOutcome send(OutgoingMessage out) {
        NotifySettings.Webhook webhook = settings.webhooks().get(out.delivery().recipient);
        if (webhook == null) {
            return new DeliveryOutcome.Permanent("No webhook named '" + out.delivery().recipient + "' is configured (notify.webhooks).");
        }
        ObjectNode doc = json.createObjectNode()
                .put("deliveryId", out.delivery().id.toString())
                .put("notificationId", out.notification().id.toString())
                .put("template", out.notification().template)
                .put("audience", out.notification().audience)
                .put("createdAt", out.notification().createdAt.toString())
                .put("subject", out.message().subject())
                .put("text", out.message().text());
        doc.set("variables", json.valueToTree(out.notification().variables));
        String body = doc.toString();
        long timestamp = clock.instant().getEpochSecond();
        return http.post(webhook.url(), body, Map.of(
                WebhookSignature.DELIVERY, out.delivery().id.toString(),
                WebhookSignature.TIMESTAMP, Long.toString(timestamp),
                WebhookSignature.SIGNATURE, WebhookSignature.sign(webhook.secret(), timestamp, body)));
    }
}
