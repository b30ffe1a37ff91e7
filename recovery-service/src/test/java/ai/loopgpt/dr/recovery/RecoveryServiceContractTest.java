package ai.loopgpt.dr.recovery;

import ai.loopgpt.dr.recovery.metrics.RecoveryMetrics;
import ai.loopgpt.dr.recovery.restore.DestinationsResource;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
// The restore tests' resources too, so that this class runs in their Quarkus application instead of booting one.
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
class RecoveryServiceContractTest extends ServiceContract {

    @Inject
    RecoveryMetrics metrics;

    @Override
    protected String schema() {
        return "recovery";
    }

    @Override
    protected Call viewerRead() {
        return new Call("GET", "/api/v1/incidents", null);
    }

    @Override
    protected Call operatorAction() {
        return new Call("POST", "/api/v1/incidents",
                "{\"title\":\"Orders failing\",\"scenario\":\"database-failure\",\"severity\":\"MAJOR\"}");
    }

    @Override
    protected Set<String> ownMetrics() {
        return Set.of("dr_restore_duration_seconds", "dr_rollback_duration_seconds", "dr_incident_rto_seconds",
                "dr_incident_rpo_seconds");
    }

    /** A restore, a rollback and a resolved incident's RTO and RPO, measured for names of their own. */
    @Override
    protected void recordOwnMetrics() {
        metrics.restoreFinished("metrics_contract", "new-database", true, Duration.ofSeconds(30));
        metrics.rollbackFinished("metrics-contract", "api", true, Duration.ofSeconds(10));
        metrics.incidentRto("complete-outage", Duration.ofMinutes(20));
        metrics.incidentRpo("metrics-contract", 900);
    }
}
