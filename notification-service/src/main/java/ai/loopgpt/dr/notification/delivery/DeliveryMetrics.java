package ai.loopgpt.dr.notification.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The service's metrics, all defined here. Prometheus names: dr_notification_deliveries_total,
 * dr_notification_queue_age_seconds (the root README's metrics table lists them).
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    /** The queue age as of the last dispatch round: a scrape runs on an I/O thread and must not query. */
    private volatile double queueAgeSeconds;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        // A gauge left by an earlier start in the same JVM (tests) would keep reading the old instance.
        registry.find("dr.notification.queue.age").meters().forEach(registry::remove);
        Gauge.builder("dr.notification.queue.age", this, m -> m.queueAgeSeconds).strongReference(true)
                .baseUnit("seconds").description("Age of the oldest notification with a pending delivery")
                .register(registry);
    }

    /** The age of the oldest notification with a pending delivery, as a dispatch round found it. */
    void queueAge(double seconds) {
        queueAgeSeconds = seconds;
    }

    /** A delivery attempt on {@code channel} ended {@code outcome} (sent, failed, suppressed, dead, retried). */
    public void delivery(String outcome, String channel) {
        Counter.builder("dr.notification.deliveries")
                .description("Delivery attempts by outcome: sent, failed (will retry), suppressed, dead, retried"
                        + " (by an operator)")
                .tags("outcome", outcome, "channel", channel).register(registry).increment();
    }
}
