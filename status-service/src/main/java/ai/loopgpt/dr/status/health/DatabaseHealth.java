package ai.loopgpt.dr.status.health;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Statement;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The service's database, reported at {@code /q/health/group/database} and as the metric
 * {@code dr_status_database_up}; never part of readiness (see {@link PublicPageReadiness}).
 */
@HealthGroup("database")
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

    private final AgroalDataSource dataSource;
    /** The last check's outcome, shared by every instance the health and scheduler machinery may create. */
    private static final java.util.concurrent.atomic.AtomicBoolean UP = new java.util.concurrent.atomic.AtomicBoolean(true);

    public DatabaseHealth(AgroalDataSource dataSource, MeterRegistry metrics) {
        this.dataSource = dataSource;
        // Read from the last check (every 10 s): a scrape runs on an I/O thread and must not query.
        // A gauge of that name left by an earlier start in this JVM (tests restart the application)
        // would keep reading that start's value: this one replaces it.
        metrics.find("dr.status.database.up").meters().forEach(metrics::remove);
        Gauge.builder("dr.status.database.up", UP, up -> up.get() ? 1 : 0)
                .description("1 while the status page's database answers").register(metrics);
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Status database");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(3);
            s.execute("SELECT 1");
            UP.set(true);
            return response.up().build();
        } catch (Exception e) {
            UP.set(false);
            return response.down().withData("reason", "the database does not answer; the page serves its last snapshot")
                    .build();
        }
    }

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        call();
    }
}
