package ai.loopgpt.dr.status.health;

import ai.loopgpt.dr.status.page.PageSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means "can serve the public page": a snapshot is loaded. The database is not part of it:
 * when the database fails the page must stay in the Service and keep serving its last snapshot,
 * which is exactly when the public needs it. Database trouble shows in {@link DatabaseHealth}.
 */
@Readiness
@ApplicationScoped
public class PublicPageReadiness implements HealthCheck {

    private final PageSnapshot snapshots;
    private final Clock clock;

    public PublicPageReadiness(PageSnapshot snapshots, Clock clock, MeterRegistry metrics) {
        this.snapshots = snapshots;
        this.clock = clock;
        // A gauge of that name left by an earlier start in this JVM (tests restart the application) would
        // keep reading that start's instance, and vanish once it is collected: this one replaces it.
        metrics.find("dr.status.snapshot.age").meters().forEach(metrics::remove);
        Gauge.builder("dr.status.snapshot.age", this, PublicPageReadiness::ageSeconds).strongReference(true)
                .baseUnit("seconds").description("Age of the snapshot the public page is served from").register(metrics);
    }

    double ageSeconds() {
        PageSnapshot.Snapshot snapshot = snapshots.latest();
        return snapshot == null ? Double.NaN : Duration.between(snapshot.builtAt(), clock.instant()).toMillis() / 1000.0;
    }

    @Override
    public HealthCheckResponse call() {
        PageSnapshot.Snapshot snapshot = snapshots.latest();
        var response = HealthCheckResponse.named("Public page snapshot");
        if (snapshot == null) {
            return response.down().withData("reason", "no snapshot loaded yet").build();
        }
        return response.up().withData("builtAt", snapshot.builtAt().toString())
                .withData("ageSeconds", (long) ageSeconds()).build();
    }
}
