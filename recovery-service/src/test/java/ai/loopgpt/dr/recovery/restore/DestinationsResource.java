package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The restore allow-list of the tests: {@code loopgpt}, {@code scratch} and {@code vault} on the test
 * PostgreSQL (each also a backup-service target), and the dr-service token recovery-service uses.
 */
public class DestinationsResource implements QuarkusTestResourceLifecycleManager {

    static final List<String> DESTINATIONS = List.of("loopgpt", "scratch", "vault");
    /** The scratch destination of drill restores (recovery.destinations.<name>.scratch=true). */
    static final String DRILL_SCRATCH = "drill-scratch";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("recovery.backup-service.token", Tokens.as("system:serviceaccount:dr:recovery-service", "dr-service"));
        EmbeddedPostgres pg = PostgresResource.server();
        for (String destination : DESTINATIONS) {
            String prefix = "recovery.destinations.\"" + destination + "\".";
            config.put(prefix + "host", pg.host());
            config.put(prefix + "port", Integer.toString(pg.port()));
            config.put(prefix + "database", destination);
            config.put(prefix + "user", EmbeddedPostgres.SUPERUSER);
        }
        String prefix = "recovery.destinations.\"" + DRILL_SCRATCH + "\".";
        config.put(prefix + "host", pg.host());
        config.put(prefix + "port", Integer.toString(pg.port()));
        config.put(prefix + "database", "drill_scratch");
        config.put(prefix + "user", EmbeddedPostgres.SUPERUSER);
        config.put(prefix + "scratch", "true");
        return config;
    }

    @Override
    public void stop() {
    }
}
