package ai.loopgpt.dr.notification.channel;

import ai.loopgpt.dr.common.retry.Failures;
import ai.loopgpt.dr.notification.config.NotifySettings;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.ext.mail.SMTPException;
import jakarta.enterprise.context.ApplicationScoped;

/** Email through Quarkus Mailer (SMTP): a text and an HTML part; SMTP 5xx replies are permanent failures. */
@ApplicationScoped
public class EmailSender implements ChannelSender {

    private final Mailer mailer;
    private final NotifySettings settings;

    public EmailSender(Mailer mailer, NotifySettings settings) {
        this.mailer = mailer;
        this.settings = settings;
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public DeliveryOutcome send(OutgoingMessage out) {
        Mail mail = Mail.withText(out.delivery().recipient, out.message().subject(), out.message().text())
                .setHtml(out.message().html())
                .addHeader("X-LoopGPT-Notification", out.notification().id.toString());
        if (out.unsubscribeToken() != null) {
            // RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the link.
            mail.addHeader("List-Unsubscribe", "<" + settings.publicUrl() + "/api/v1/subscribers/unsubscribe?token="
                    + out.unsubscribeToken() + ">");
            mail.addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        try {
            mailer.send(mail);
            return DeliveryOutcome.SENT;
        } catch (RuntimeException e) {
            Throwable root = Failures.root(e);
            if (root instanceof SMTPException smtp) {
                String error = "SMTP " + smtp.getReplyCode() + ": " + smtp.getReplyMessage();
                return smtp.isPermanent() ? new DeliveryOutcome.Permanent(error) : new DeliveryOutcome.Transient(error);
            }
            return new DeliveryOutcome.Transient(Failures.describe(root));
        }
    }
}
