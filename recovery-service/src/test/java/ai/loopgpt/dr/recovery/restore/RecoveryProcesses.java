package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import java.util.HashMap;
import java.util.Map;

/** The packaged recovery-service as a child process, against the test PostgreSQL, S3 and the real backup-service. */
public final class RecoveryProcesses {

    /** How often a process looks for restores no live replica owns. */
    static final String REAPER_EVERY = "2s";

    private RecoveryProcesses() {
    }

    /** Started with {@code failpoint} on (paused there for ever once reached), or none if null. */
    static ServiceProcess start(String failpoint) {
        return start(failpoint, Map.of());
    }

    /** Started with {@code failpoint} on (or none if null) and {@code more} environment besides the test's. */
    public static ServiceProcess start(String failpoint, Map<String, String> more) {
        EmbeddedPostgres pg = PostgresResource.server();
        Map<String, String> env = new HashMap<>(S3Resource.serviceEnvironment());
        env.put("QUARKUS_REST_CLIENT_BACKUP_SERVICE_URL", BackupServiceResource.url());
        env.put("RECOVERY_BACKUP_SERVICE_TOKEN", Tokens.as("system:serviceaccount:dr:recovery-service", "dr-service"));
        for (String destination : DestinationsResource.DESTINATIONS) {
            String prefix = "RECOVERY_DESTINATIONS__" + destination.toUpperCase() + "__";
            env.put(prefix + "HOST", pg.host());
            env.put(prefix + "PORT", Integer.toString(pg.port()));
            env.put(prefix + "DATABASE", destination);
            env.put(prefix + "USER", EmbeddedPostgres.SUPERUSER);
        }
        // A scratch destination for drill restores.
        env.put("RECOVERY_DESTINATIONS__DRILLS__HOST", pg.host());
        env.put("RECOVERY_DESTINATIONS__DRILLS__PORT", Integer.toString(pg.port()));
        env.put("RECOVERY_DESTINATIONS__DRILLS__DATABASE", "drills_scratch");
        env.put("RECOVERY_DESTINATIONS__DRILLS__USER", EmbeddedPostgres.SUPERUSER);
        env.put("RECOVERY_DESTINATIONS__DRILLS__SCRATCH", "true");
        env.put("RECOVERY_REAPER_EVERY", REAPER_EVERY);
        if (failpoint != null) {
            env.put("QUARKUS_PROFILE", "prod,failpoints");
            env.put("DR_FAILPOINTS", failpoint);
        }
        env.putAll(more);
        return ServiceProcess.start("recovery-service", env);
    }
}
