package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.backup.service.BackupMetrics;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
class BackupServiceContractTest extends ServiceContract {

    @Inject
    BackupMetrics metrics;

    @Override
    protected String schema() {
        return "backup";
    }

    @Override
    protected Call viewerRead() {
        return new Call("GET", "/api/v1/targets", null);
    }

    @Override
    protected Call operatorAction() {
        return new Call("POST", "/api/v1/targets/loopgpt/checks", "{\"timeoutSeconds\": 5}");
    }

    @Override
    protected Set<String> ownMetrics() {
        return Set.of("dr_backup_duration_seconds", "dr_backup_size_bytes", "dr_backup_last_success_timestamp_seconds",
                "dr_backup_rpo_age_seconds", "dr_backup_rpo_objective_seconds", "dr_backup_failures_total", "dr_backup_orphan_uploads_aborted_total",
                "dr_backup_expired_total", "dr_drill_duration_seconds");
    }

    /** A succeeded and a failed backup, an aborted orphan upload, no expiry and a drill, of a target of their own. */
    @Override
    protected void recordOwnMetrics() {
        Instant now = Instant.now();
        for (BackupPhase phase : new BackupPhase[] {BackupPhase.SUCCEEDED, BackupPhase.FAILED}) {
            Backup backup = new Backup();
            backup.target = "metrics-contract";
            backup.format = DumpFormat.PLAIN;
            backup.compression = Compression.GZIP;
            backup.phase = phase;
            backup.startedAt = now.minusSeconds(3);
            backup.finishedAt = now;
            backup.sizeBytes = 1024L;
            backup.failureCategory = phase == BackupPhase.FAILED ? "storage" : null;
            metrics.finished(backup);
        }
        metrics.orphanUploadAborted();
        metrics.expired(0);
        metrics.drillFinished("restore", "metrics-contract", true, Duration.ofSeconds(5));
    }
}
