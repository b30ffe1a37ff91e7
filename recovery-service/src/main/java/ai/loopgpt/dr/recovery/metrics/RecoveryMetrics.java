package ai.loopgpt.dr.recovery.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The service's metrics, all defined here. Prometheus names: dr_restore_duration_seconds,
 * dr_rollback_duration_seconds, dr_incident_rto_seconds, dr_incident_rpo_seconds (the root README's
 * metrics table lists them).
 */
@ApplicationScoped
public class RecoveryMetrics {

    private final MeterRegistry registry;

    public RecoveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A restore into {@code destination} ({@code mode}) ended after {@code took}. */
    public void restoreFinished(String destination, String mode, boolean succeeded, Duration took) {
        Timer.builder("dr.restore.duration").description("Wall time of restores (RTO evidence)")
                .tags("destination", destination, "mode", mode, "outcome", outcome(succeeded))
                .register(registry).record(took);
    }

    /** A rollback of {@code namespace/deployment} ended after {@code took}. */
    public void rollbackFinished(String namespace, String deployment, boolean succeeded, Duration took) {
        Timer.builder("dr.rollback.duration").description("Wall time of rollbacks")
                .tags("namespace", namespace, "deployment", deployment, "outcome", outcome(succeeded))
                .register(registry).record(took);
    }

    /** The measured RTO of a resolved incident of {@code scenario}: declared to restored. */
    public void incidentRto(String scenario, Duration rto) {
        Timer.builder("dr.incident.rto").description("Measured RTO of resolved incidents: start to service restored")
                .tag("scenario", scenario).register(registry).record(rto);
    }

    /** The measured RPO of a resolved incident for {@code target}: incident start minus the last good backup. */
    public void incidentRpo(String target, long seconds) {
        DistributionSummary.builder("dr.incident.rpo").baseUnit("seconds")
                .description("Measured RPO of resolved incidents: incident start minus the last good backup")
                .tag("target", target).register(registry).record(seconds);
    }

    private static String outcome(boolean succeeded) {
        return succeeded ? "succeeded" : "failed";
    }
}
