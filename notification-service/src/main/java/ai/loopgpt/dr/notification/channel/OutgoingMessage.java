package ai.loopgpt.dr.notification.channel;

import ai.loopgpt.dr.notification.delivery.Delivery;
import ai.loopgpt.dr.notification.delivery.Notification;
import ai.loopgpt.dr.notification.template.TemplateRenderer;

/**
 * One delivery ready to go: the delivery, its notification, the rendered message and, for a
 * subscriber's mail, the token of its one-click unsubscribe link (else null).
 */
public record OutgoingMessage(Delivery delivery, Notification notification, TemplateRenderer.Rendered message,
        String unsubscribeToken) {
}
