package ai.loopgpt.dr.common.selfcheck;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs every {@link SelfCheckSource} of the service. After start-up it runs them once in the
 * background ({@code dr.self-check.startup-delay}, "off" to skip) and logs each failure as a warning
 * naming the fix: a wire that is not connected is said at start, not found in a dead letter later.
 */
@ApplicationScoped
public class SelfCheck {

    private static final Logger LOG = Logger.getLogger(SelfCheck.class);

    private final Instance<SelfCheckSource> sources;
    private final Clock clock;
    private final String service;
    private final String startupDelay;

    public SelfCheck(Instance<SelfCheckSource> sources, Clock clock,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "dr.self-check.startup-delay", defaultValue = "15s") String startupDelay) {
        this.sources = sources;
        this.clock = clock;
        this.service = service;
        this.startupDelay = startupDelay;
    }

    public SelfCheckReport run() {
        List<Check> checks = new ArrayList<>();
        for (SelfCheckSource source : sources) {
            try {
                checks.addAll(source.checks());
            } catch (RuntimeException e) {
                checks.add(Check.fail(source.getClass().getSimpleName().replace("_Subclass", ""),
                        "the check itself failed: " + e.getClass().getSimpleName(), "See the service's log."));
                LOG.warn("A self-check failed to run", e);
            }
        }
        return new SelfCheckReport(service, clock.instant(), checks.stream().allMatch(Check::ok), checks);
    }

    void atStartup(@Observes StartupEvent event) {
        if ("off".equalsIgnoreCase(startupDelay.strip())) {
            return;
        }
        String text = startupDelay.strip();
        Duration delay = text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text))
                : Duration.parse(text.startsWith("P") ? text : "PT" + text.toUpperCase());
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
                ManagedContext requests = Arc.container().requestContext();
                requests.activate();
                try {
                    SelfCheckReport report = run();
                    for (Check check : report.checks()) {
                        if (!check.ok()) {
                            LOG.warnf("Self-check failed: %s: %s. Fix: %s", check.name(), check.detail(), check.fix());
                        }
                    }
                    if (report.ok()) {
                        LOG.infof("Self-check: all %d checks passed", report.checks().size());
                    }
                } finally {
                    requests.terminate();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("Start-up self-check not run (shutting down?)", e);
            }
        }, "self-check-at-startup");
        thread.setDaemon(true);
        thread.start();
    }
}
