package ai.loopgpt.dr.notification.delivery;

import ai.loopgpt.dr.common.retry.Backoff;
import ai.loopgpt.dr.notification.config.NotifySettings;
import ai.loopgpt.dr.notification.template.TemplateRenderer;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Works through the deliveries that are due: renders and sends each; a failure is retried with
 * exponential backoff and jitter, and after the last attempt the delivery is dead (kept, with its
 * error). A restart picks up where it stopped: the state is all in the database.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final Mailer mailer;
    private final TemplateRenderer templates;
    private final NotifySettings settings;
    private final Clock clock;
    private final io.micrometer.core.instrument.MeterRegistry metrics;

    public Dispatcher(Mailer mailer, TemplateRenderer templates, NotifySettings settings, Clock clock,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        this.mailer = mailer;
        this.templates = templates;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        // How long the oldest pending delivery has waited: the queue's age.
        io.micrometer.core.instrument.Gauge.builder("dr.notification.queue.age", this, Dispatcher::queueAgeSeconds)
                .baseUnit("seconds").description("Age of the oldest pending delivery").register(metrics);
    }

    double queueAgeSeconds() {
        try {
            return QuarkusTransaction.requiringNew().call(() -> Delivery.<Delivery>find("state = ?1 order by id",
                            Delivery.State.PENDING).stream()
                    .map(d -> QuarkusTransaction.requiringNew().call(() -> Notification.<Notification>findById(d.notificationId)))
                    .map(n -> (double) Duration.between(n.createdAt, clock.instant()).toSeconds())
                    .max(Double::compare).orElse(0.0));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void count(String outcome, String channel) {
        io.micrometer.core.instrument.Counter.builder("dr.notification.deliveries")
                .description("Delivery attempts by outcome: sent, failed (will retry), dead")
                .tags("outcome", outcome, "channel", channel).register(metrics).increment();
    }

    @Scheduled(every = "${notify.delivery.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        dispatch();
    }

    /** Gives the dead deliveries of notification {@code id} a new round of attempts; returns how many. */
    public int retryDead(java.util.UUID id) {
        int revived = QuarkusTransaction.requiringNew().call(() -> {
            List<Delivery> dead = Delivery.list("notificationId = ?1 and state = ?2", id, Delivery.State.DEAD);
            for (Delivery d : dead) {
                d.state = Delivery.State.PENDING;
                d.attempts = 0;
                d.nextAttemptAt = clock.instant();
            }
            return dead.size();
        });
        for (int i = 0; i < revived; i++) {
            count("retried", "email");
        }
        return revived;
    }

    /** Sends what is due now; returns how many were sent. */
    public synchronized int dispatch() {
        List<Delivery> due = QuarkusTransaction.requiringNew().call(() -> Delivery.<Delivery>find(
                "state = ?1 and nextAttemptAt <= ?2 order by nextAttemptAt", Delivery.State.PENDING, clock.instant())
                .page(0, 200).list());
        int sent = 0;
        for (Delivery delivery : due) {
            String error = send(delivery);
            QuarkusTransaction.requiringNew().run(() -> {
                Delivery d = Delivery.findById(delivery.id);
                d.attempts++;
                if (error == null) {
                    d.state = Delivery.State.SENT;
                    d.sentAt = clock.instant();
                    d.lastError = null;
                    count("sent", d.channel);
                } else if (d.attempts >= settings.delivery().maxAttempts()) {
                    d.state = Delivery.State.DEAD;
                    d.lastError = error;
                    count("dead", d.channel);
                    LOG.warnf("Delivery %s to %s is dead after %d attempts: %s", d.id, d.recipient, d.attempts, error);
                } else {
                    d.lastError = error;
                    d.nextAttemptAt = clock.instant().plus(Backoff.after(d.attempts, Duration.ofMinutes(10)));
                    count("failed", d.channel);
                }
            });
            if (error == null) {
                sent++;
            }
        }
        return sent;
    }


    private String send(Delivery delivery) {
        try {
            Notification n = QuarkusTransaction.requiringNew().call(() -> Notification.<Notification>findById(delivery.notificationId));
            TemplateRenderer.Rendered message = templates.render(n.template, n.variables);
            Mail mail = Mail.withText(delivery.recipient, message.subject(), message.text()).setHtml(message.html())
                    .addHeader("X-LoopGPT-Notification", n.id.toString());
            if (delivery.subscriberId != null) {
                // RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the link.
                String token = QuarkusTransaction.requiringNew().call(() -> ai.loopgpt.dr.notification.Subscriber
                        .<ai.loopgpt.dr.notification.Subscriber>findById(delivery.subscriberId).unsubscribeToken);
                mail.addHeader("List-Unsubscribe", "<" + settings.publicUrl() + "/api/v1/subscribers/unsubscribe?token="
                        + token + ">");
                mail.addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
            mailer.send(mail);
            return null;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getClass().getSimpleName() + ": " + root.getMessage();
        }
    }
}
