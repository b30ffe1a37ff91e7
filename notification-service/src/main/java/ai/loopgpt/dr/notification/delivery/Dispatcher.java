package ai.loopgpt.dr.notification.delivery;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.retry.Backoff;
import ai.loopgpt.dr.notification.Suppression;
import ai.loopgpt.dr.notification.channel.ChannelSender;
import ai.loopgpt.dr.notification.channel.DeliveryOutcome;
import ai.loopgpt.dr.notification.channel.OutgoingMessage;
import ai.loopgpt.dr.notification.config.NotifySettings;
import ai.loopgpt.dr.notification.service.UnsubscribeTokens;
import ai.loopgpt.dr.notification.template.TemplateRenderer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Works through the deliveries that are due. Each round claims a batch with a lease ({@code FOR
 * UPDATE SKIP LOCKED}, so replicas never take the same delivery), sends them over their channels a
 * few at a time, and records each outcome as soon as it is known: sent; a transient failure retried
 * with exponential backoff and jitter (not before the receiver's {@code Retry-After}); a permanent
 * failure, or the last attempt, dead with its error. Everything is in the database: a replica that
 * dies mid-round leaves its claimed deliveries to be taken again when the lease runs out. Delivery
 * is at least once: a crash between a send and its record can repeat that one message.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final Map<String, ChannelSender> senders;
    private final TemplateRenderer templates;
    private final NotifySettings settings;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final ExecutorService pool;
    private final UnsubscribeTokens unsubscribeTokens;

    public Dispatcher(Instance<ChannelSender> senders, TemplateRenderer templates, NotifySettings settings, Clock clock,
            DeliveryMetrics metrics, UnsubscribeTokens unsubscribeTokens) {
        this.senders = senders.stream().collect(Collectors.toMap(ChannelSender::channel, s -> s));
        this.unsubscribeTokens = unsubscribeTokens;
        this.templates = templates;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, settings.delivery().concurrency()), r -> {
            Thread t = new Thread(r, "delivery-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // The queue-age gauge is there from the start, reading 0 until the first round.
        metrics.queueAge(0.0);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    double queueAgeSeconds() {
        try {
            Instant oldest = QuarkusTransaction.requiringNew().call(() -> Notification.getEntityManager()
                    .createQuery("select min(n.createdAt) from Notification n where exists (select 1 from Delivery d"
                            + " where d.notificationId = n.id and d.state = :pending)", Instant.class)
                    .setParameter("pending", Delivery.State.PENDING).getSingleResult());
            return oldest == null ? 0.0 : Duration.between(oldest, clock.instant()).toMillis() / 1000.0;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void count(String outcome, String channel) {
        metrics.delivery(outcome, channel);
    }

    @Scheduled(every = "${notify.delivery.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        while (dispatch() > 0) {
            // A full round: there may be more due.
        }
    }

    /** Gives the dead deliveries of notification {@code id} a new round of attempts; returns how many. */
    public int retryDead(UUID id) {
        List<String> channels = QuarkusTransaction.requiringNew().call(() -> {
            List<Delivery> dead = Delivery.list("notificationId = ?1 and state = ?2", id, Delivery.State.DEAD);
            for (Delivery d : dead) {
                d.state = Delivery.State.PENDING;
                d.attempts = 0;
                d.nextAttemptAt = clock.instant();
            }
            return dead.stream().map(d -> d.channel).toList();
        });
        channels.forEach(channel -> count("retried", channel));
        return channels.size();
    }

    /** Sends one batch of what is due now; returns how many deliveries it claimed. */
    public synchronized int dispatch() {
        String claim = UUID.randomUUID().toString();
        List<Delivery> due = claim(claim);
        metrics.queueAge(queueAgeSeconds());
        if (due.isEmpty()) {
            return 0;
        }
        Map<UUID, Notification> notifications = new HashMap<>();
        java.util.Set<String> suppressed = new java.util.HashSet<>();
        QuarkusTransaction.requiringNew().run(() -> {
            // Suppressions made since the notification was accepted count too.
            suppressed.addAll(Suppression.among(due.stream().filter(d -> "email".equals(d.channel))
                    .map(d -> d.recipient).toList()));
            Notification.<Notification>list("id in ?1", due.stream().map(d -> d.notificationId).distinct().toList())
                    .forEach(n -> notifications.put(n.id, n));
        });
        Map<UUID, Rendering> rendered = new HashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (Delivery delivery : due) {
            Notification n = notifications.get(delivery.notificationId);
            Rendering rendering = rendered.computeIfAbsent(n.id, key -> Rendering.of(templates, n));
            if ("email".equals(delivery.channel) && suppressed.contains(Suppression.normalize(delivery.recipient))) {
                recordSuppressed(delivery.id, claim);
                continue;
            }
            running.add(pool.submit(() -> {
                DeliveryOutcome outcome = rendering.failure() != null ? rendering.failure()
                        : attempt(new OutgoingMessage(delivery, n, rendering.message(),
                                delivery.subscriberId == null ? null : unsubscribeTokens.issue(delivery.subscriberId)));
                record(delivery.id, claim, outcome);
            }));
        }
        long extendEvery = Math.max(100, settings.delivery().lease().toMillis() / 3);
        for (Future<?> f : running) {
            try {
                while (true) {
                    try {
                        f.get(extendEvery, java.util.concurrent.TimeUnit.MILLISECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException stillSending) {
                        // Slow receivers: keep the lease of what is still being sent, so no other round takes it.
                        extend(claim);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                // Its claim runs out and another round takes it; nothing is marked done that was not.
                LOG.errorf(e.getCause(), "A delivery could not be recorded");
            }
        }
        return due.size();
    }

    /** Pushes the lease of this round's deliveries that have no outcome yet. */
    private void extend(String claim) {
        try {
            QuarkusTransaction.requiringNew().run(() -> Delivery.update(
                    "nextAttemptAt = ?1 where claimedBy = ?2 and state = ?3",
                    clock.instant().plus(settings.delivery().lease()), claim, Delivery.State.PENDING));
        } catch (RuntimeException e) {
            LOG.warnf("Could not extend the lease of dispatch round %s: %s", claim, e.getMessage());
        }
    }

    /** A notification rendered once per round for all its deliveries, or why it cannot be. */
    private record Rendering(TemplateRenderer.Rendered message, DeliveryOutcome.Permanent failure) {
        static Rendering of(TemplateRenderer templates, Notification n) {
            try {
                return new Rendering(templates.render(n.template, n.variables), null);
            } catch (ProblemException e) {
                return new Rendering(null, new DeliveryOutcome.Permanent("Cannot render template '" + n.template + "': " + e.getMessage()));
            }
        }
    }

    /** Claims up to a batch of due deliveries for round {@code claim} by pushing their next attempt past the lease. */
    private List<Delivery> claim(String claim) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            @SuppressWarnings("unchecked")
            List<UUID> ids = Delivery.getEntityManager().createNativeQuery(
                    "SELECT id FROM {h-schema}delivery WHERE state = 'PENDING' AND next_attempt_at <= ?1"
                            + " ORDER BY next_attempt_at LIMIT ?2 FOR UPDATE SKIP LOCKED", UUID.class)
                    .setParameter(1, now).setParameter(2, settings.delivery().batchSize()).getResultList();
            if (ids.isEmpty()) {
                return List.of();
            }
            Delivery.update("nextAttemptAt = ?1, claimedBy = ?2 where id in ?3", now.plus(settings.delivery().lease()),
                    claim, ids);
            return Delivery.<Delivery>list("id in ?1", ids);
        });
    }

    private DeliveryOutcome attempt(OutgoingMessage outgoing) {
        ChannelSender sender = senders.get(outgoing.delivery().channel);
        if (sender == null) {
            return new DeliveryOutcome.Permanent("No sender for channel '" + outgoing.delivery().channel + "'.");
        }
        try {
            return sender.send(outgoing);
        } catch (RuntimeException e) {
            return new DeliveryOutcome.Transient(ai.loopgpt.dr.common.retry.Failures.describe(e));
        }
    }

    /** The outcome of a delivery, recorded only while round {@code claim} still holds it. */
    private void record(UUID id, String claim, DeliveryOutcome outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            Delivery d = Delivery.findById(id);
            if (d.state != Delivery.State.PENDING || !claim.equals(d.claimedBy)) {
                LOG.warnf("Delivery %s: this round's claim ran out before its outcome (%s) was known; the round holding "
                        + "it now records it", id, outcome.getClass().getSimpleName());
                return;
            }
            d.claimedBy = null;
            Instant now = clock.instant();
            if (outcome instanceof DeliveryOutcome.Sent) {
                d.attempts++;
                d.state = Delivery.State.SENT;
                d.sentAt = now;
                d.lastError = null;
                count("sent", d.channel);
            } else if (outcome instanceof DeliveryOutcome.Deferred deferred) {
                d.nextAttemptAt = now.plus(deferred.delay());
            } else if (outcome instanceof DeliveryOutcome.Permanent failed) {
                d.attempts++;
                dead(d, failed.error());
            } else if (outcome instanceof DeliveryOutcome.Transient failed) {
                d.attempts++;
                if (d.attempts >= settings.delivery().maxAttempts()) {
                    dead(d, failed.error());
                } else {
                    Duration wait = Backoff.after(d.attempts, settings.delivery().maxBackoff());
                    if (failed.retryAfter() != null && failed.retryAfter().compareTo(wait) > 0) {
                        wait = failed.retryAfter();
                    }
                    d.lastError = failed.error();
                    d.nextAttemptAt = now.plus(wait);
                    count("failed", d.channel);
                }
            }
        });
    }

    private void recordSuppressed(UUID id, String claim) {
        QuarkusTransaction.requiringNew().run(() -> {
            Delivery d = Delivery.findById(id);
            if (d.state == Delivery.State.PENDING && claim.equals(d.claimedBy)) {
                d.claimedBy = null;
                d.state = Delivery.State.SUPPRESSED;
                d.lastError = "Not sent: the address was suppressed after the notification was accepted.";
                count("suppressed", d.channel);
            }
        });
    }

    private void dead(Delivery d, String error) {
        d.state = Delivery.State.DEAD;
        d.lastError = error;
        count("dead", d.channel);
        LOG.warnf("Delivery %s (%s to %s) is dead after %d attempt(s): %s", d.id, d.channel,
                ai.loopgpt.dr.common.web.EmailAddresses.mask(d.recipient), d.attempts, error);
    }
}
