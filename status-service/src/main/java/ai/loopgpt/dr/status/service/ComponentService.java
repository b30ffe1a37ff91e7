package ai.loopgpt.dr.status.service;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.ComponentStatus;
import ai.loopgpt.dr.status.config.StatusSettings;
import ai.loopgpt.dr.status.config.StatusSettings.ComponentSetting;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/** The components of the page: kept in line with configuration, their statuses set by operators. */
@ApplicationScoped
public class ComponentService {

    private static final Logger LOG = Logger.getLogger(ComponentService.class);

    private final StatusSettings settings;
    private final Clock clock;
    private final jakarta.enterprise.event.Event<PublicIncidentService.PageChanged> changed;

    public ComponentService(StatusSettings settings, Clock clock,
            jakarta.enterprise.event.Event<PublicIncidentService.PageChanged> changed) {
        this.settings = settings;
        this.clock = clock;
        this.changed = changed;
    }

    /** Set once the configured components are stored: before, a probe's result has no component to go to. */
    private volatile boolean synced;

    /**
     * Whether the configured components are stored. The scheduler starts with the application, so a
     * probe can come due before this service's start-up observer has run: the probes wait for it.
     */
    public boolean synced() {
        return synced;
    }

    void syncWithConfiguration(@Observes StartupEvent startup) {
        QuarkusTransaction.requiringNew().run(this::sync);
        synced = true;
    }

    /** Adds configured components that are new, updates names and groups, unlists removed ones; keeps statuses. */
    private void sync() {
        Set<String> configured = new HashSet<>();
        List<ComponentSetting> components = settings.components();
        for (int i = 0; i < components.size(); i++) {
            ComponentSetting setting = components.get(i);
            if (!configured.add(setting.id())) {
                throw new IllegalStateException("status.components lists '" + setting.id() + "' twice");
            }
            Component component = Component.findById(setting.id());
            if (component == null) {
                component = new Component();
                component.id = setting.id();
                component.status = ComponentStatus.OPERATIONAL;
                component.createdAt = clock.instant();
                component.updatedAt = component.createdAt;
                LOG.infof("New component '%s' (%s)", setting.id(), setting.name());
            }
            component.name = setting.name();
            component.group = setting.group();
            component.position = i;
            component.listed = true;
            component.shown = setting.shown();
            component.persist();
        }
        for (String probed : settings.probes().keySet()) {
            if (!configured.contains(probed)) {
                throw new IllegalStateException("status.probes names '" + probed + "', which is not a component");
            }
        }
        Component.<Component>stream("listed = true").filter(c -> !configured.contains(c.id)).forEach(c -> {
            c.listed = false;
            LOG.infof("Component '%s' left the configuration: unlisted, history kept", c.id);
        });
    }

    public List<Component> listed() {
        return Component.list("listed = true", Sort.ascending("position"));
    }

    public Component setStatus(String id, ComponentStatus status) {
        Component component = QuarkusTransaction.requiringNew().call(() -> {
            Component c = Component.<Component>findByIdOptional(id).filter(x -> x.listed)
                    .orElseThrow(() -> ProblemException.notFound("component", id));
            if (c.status != status) {
                LOG.infof("Component '%s': %s -> %s", id, c.status.code(), status.code());
                ai.loopgpt.dr.status.StatusChange.apply(c, status, clock.instant());
            }
            return c;
        });
        changed.fire(new PublicIncidentService.PageChanged("component " + id));
        return component;
    }
}
