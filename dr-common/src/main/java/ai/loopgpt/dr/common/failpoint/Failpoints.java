package ai.loopgpt.dr.common.failpoint;

import io.quarkus.runtime.configuration.ConfigUtils;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Named points in long operations where a crash test stops the process on purpose. Only the
 * {@code failpoints} profile turns them on ({@code QUARKUS_PROFILE=prod,failpoints} with
 * {@code DR_FAILPOINTS=name,...}): a point that is on logs {@code FAILPOINT <name> reached} and
 * pauses for ever, so that a test can kill the process exactly there. Everywhere else a point does
 * nothing, and the production code path is the same.
 */
public final class Failpoints {

    private static final Logger LOG = Logger.getLogger(Failpoints.class);
    private static volatile Set<String> enabled;

    private Failpoints() {
    }

    /** Pauses here for ever if {@code name} is on (test profile only); returns at once otherwise. */
    public static void pause(String name) {
        if (!enabled().contains(name)) {
            return;
        }
        LOG.warnf("FAILPOINT %s reached", name);
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted at failpoint " + name);
            }
        }
    }

    private static Set<String> enabled() {
        Set<String> names = enabled;
        if (names == null) {
            names = new TreeSet<>();
            if (ConfigUtils.getProfiles().contains("failpoints")) {
                Optional<List<String>> configured = ConfigProvider.getConfig()
                        .getOptionalValues("dr.failpoints", String.class);
                configured.ifPresent(names::addAll);
            }
            enabled = names;
        }
        return names;
    }
}
