package ai.loopgpt.dr.status.service;

import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.ComponentStatus;
import ai.loopgpt.dr.status.Impact;
import ai.loopgpt.dr.status.Incident;
import ai.loopgpt.dr.status.IncidentStatus;
import ai.loopgpt.dr.status.IncidentUpdate;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Incidents and scheduled maintenances: opened, updated along their timeline, each update
 * optionally changing affected components' statuses. Maintenances move to in progress and to
 * completed by themselves at their times.
 */
@ApplicationScoped
public class PublicIncidentService {

    private static final Logger LOG = Logger.getLogger(PublicIncidentService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final Clock clock;
    private final Event<PageChanged> changed;

    private final Leadership leadership;

    public PublicIncidentService(Clock clock, Event<PageChanged> changed, Leadership leadership) {
        this.clock = clock;
        this.changed = changed;
        this.leadership = leadership;
    }

    /** Fired after anything shown on the page changed (and committed). */
    public record PageChanged(String reason) {
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A 12-character id, as Statuspage's. */
    static String newId() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** Opens an incident with its first update. */
    public Incident open(String name, IncidentStatus status, Impact impact, String body,
            Map<String, ComponentStatus> componentStatuses) {
        return open(null, name, status, impact, body, componentStatuses);
    }

    /**
     * Opens an incident under {@code id} if given (a caller that retries, such as an outbox, names it
     * so): an incident that already has that id is returned as it is, nothing opened twice.
     */
    public Incident open(String id, String name, IncidentStatus status, Impact impact, String body,
            Map<String, ComponentStatus> componentStatuses) {
        if (id != null) {
            Incident existing = QuarkusTransaction.requiringNew().call(() -> Incident.<Incident>findById(id));
            if (existing != null) {
                return existing;
            }
        }
        if (status.maintenance()) {
            throw ProblemException.badRequest("An incident's status is investigating, identified, monitoring, resolved "
                    + "or postmortem; '" + status.code() + "' belongs to scheduled maintenances.");
        }
        if (impact == Impact.MAINTENANCE) {
            throw ProblemException.badRequest("Impact 'maintenance' is for scheduled maintenances; use none, minor, major or critical.");
        }
        Incident incident = QuarkusTransaction.requiringNew().call(() -> {
            Incident i = new Incident();
            i.id = id != null ? id : newId();
            i.kind = "incident";
            i.name = name;
            i.status = status;
            i.impact = impact;
            i.createdAt = now();
            i.updatedAt = i.createdAt;
            i.startedAt = i.createdAt;
            i.persist();
            addUpdate(i, null, status, body, componentStatuses);
            return i;
        });
        LOG.infof("Incident %s opened: %s (%s, %s)", incident.id, name, status.code(), impact.code());
        changed.fire(new PageChanged("incident " + incident.id));
        return incident;
    }

    /** Schedules a maintenance of {@code components} between two times. */
    public Incident schedule(String name, Instant from, Instant until, String body, List<String> componentIds) {
        if (!until.isAfter(from)) {
            throw ProblemException.badRequest("scheduled_until must be after scheduled_for.");
        }
        Incident maintenance = QuarkusTransaction.requiringNew().call(() -> {
            Incident i = new Incident();
            i.id = newId();
            i.kind = "maintenance";
            i.name = name;
            i.status = IncidentStatus.SCHEDULED;
            i.impact = Impact.MAINTENANCE;
            i.createdAt = now();
            i.updatedAt = i.createdAt;
            i.startedAt = from;
            i.scheduledFor = from;
            i.scheduledUntil = until;
            for (String id : componentIds) {
                requireComponent(id);
                i.components.add(id);
            }
            i.persist();
            addUpdate(i, null, IncidentStatus.SCHEDULED, body, Map.of());
            return i;
        });
        changed.fire(new PageChanged("maintenance " + maintenance.id));
        return maintenance;
    }

    /** Adds an update to the timeline, moving the incident to {@code status} and components to theirs. */
    public Incident update(String id, IncidentStatus status, String body, Map<String, ComponentStatus> componentStatuses) {
        return update(id, null, status, body, componentStatuses);
    }

    /** Posts an update under {@code updateId} if given: an update that already has that id is not posted again. */
    public Incident update(String id, String updateId, IncidentStatus status, String body,
            Map<String, ComponentStatus> componentStatuses) {
        if (updateId != null) {
            Incident done = QuarkusTransaction.requiringNew().call(() -> {
                IncidentUpdate existing = IncidentUpdate.findById(updateId);
                return existing == null ? null : existing.incident;
            });
            if (done != null) {
                return done;
            }
        }
        Incident incident = QuarkusTransaction.requiringNew().call(() -> {
            Incident i = Incident.<Incident>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("incident", id));
            if (status.maintenance() != i.isMaintenance()) {
                throw ProblemException.badRequest("Status '" + status.code() + "' does not apply to "
                        + (i.isMaintenance() ? "a scheduled maintenance (scheduled, in_progress, verifying, completed)."
                                : "an incident (investigating, identified, monitoring, resolved, postmortem)."));
            }
            if (i.status.closed() && status != IncidentStatus.POSTMORTEM) {
                throw ProblemException.conflict("Incident " + id + " is " + i.status.code()
                        + "; only a postmortem can follow.");
            }
            addUpdate(i, updateId, status, body, componentStatuses);
            return i;
        });
        changed.fire(new PageChanged("update of " + id));
        return incident;
    }

    private void addUpdate(Incident incident, String id, IncidentStatus status, String body,
            Map<String, ComponentStatus> statuses) {
        Instant at = now();
        IncidentUpdate update = new IncidentUpdate();
        update.id = id != null ? id : newId();
        update.incident = incident;
        update.status = status;
        update.body = body;
        update.createdAt = at;
        update.displayAt = at;
        Map<String, ComponentStatus> wanted = new LinkedHashMap<>(statuses);
        if (status.closed() && !incident.status.closed()) {
            // Resolving puts the affected components back in operation, unless the update says otherwise.
            for (String componentId : incident.components) {
                wanted.putIfAbsent(componentId, ComponentStatus.OPERATIONAL);
            }
        }
        for (Map.Entry<String, ComponentStatus> entry : wanted.entrySet()) {
            Component component = requireComponent(entry.getKey());
            incident.components.add(component.id);
            if (component.status != entry.getValue()) {
                IncidentUpdate.ComponentChange change = new IncidentUpdate.ComponentChange();
                change.componentId = component.id;
                change.oldStatus = component.status;
                change.newStatus = entry.getValue();
                update.changes.add(change);
                ai.loopgpt.dr.status.StatusChange.apply(component, entry.getValue(), at);
            }
        }
        update.persist();
        incident.updates.add(0, update);
        // Subscribers of the affected components hear of it through notification-service, via the outbox.
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("incident", incident.name);
        variables.put("incidentId", incident.id);
        variables.put("status", status.code());
        variables.put("impact", incident.impact.code());
        variables.put("body", body);
        variables.put("date", at.toString());
        // notification-service refuses a template variable left empty: an incident naming no component says so.
        variables.put("affectedServices", incident.components.isEmpty() ? "not specified"
                : String.join(", ", incident.components));
        variables.put("link", "https://status.loopgpt.ai/incidents/" + incident.id);
        Map<String, Object> notification = new LinkedHashMap<>();
        // One template for every step (its status says resolved or completed at the end); the plan's
        // resolution mail, with root cause and preventive measures, is sent by whoever knows them.
        notification.put("template", "status-update");
        notification.put("channels", List.of("email"));
        notification.put("audience", "status-subscribers");
        notification.put("components", List.copyOf(incident.components));
        notification.put("variables", variables);
        ai.loopgpt.dr.status.outbox.OutboxMessage.enqueue(ai.loopgpt.dr.status.outbox.OutboxMessage.NOTIFICATION,
                "status-update-" + update.id, notification, at);
        incident.status = status;
        incident.updatedAt = at;
        if (status == IncidentStatus.MONITORING && incident.monitoringAt == null) {
            incident.monitoringAt = at;
        }
        if (status.closed() && incident.resolvedAt == null) {
            incident.resolvedAt = at;
        }
    }

    private static Component requireComponent(String id) {
        return Component.<Component>findByIdOptional(id).filter(c -> c.listed)
                .orElseThrow(() -> ProblemException.badRequest("No component '" + id + "' on the page."));
    }

    public Incident get(String id) {
        return Incident.<Incident>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("incident", id));
    }

    @Transactional
    public List<Incident> recent(int limit) {
        return Incident.<Incident>findAll(Sort.descending("startedAt", "id")).page(0, limit).list();
    }

    /** Maintenance transitions are led by one replica at a time, so that each is announced once. */
    @Scheduled(every = "${status.maintenance.every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledMaintenances() {
        if (leadership.leads("status-maintenance")) {
            advanceMaintenances();
        }
    }

    /** Starts maintenances whose time has come and completes those whose window has ended. */
    public void advanceMaintenances() {
        Instant now = now();
        List<Incident> due = QuarkusTransaction.requiringNew().call(() -> Incident.<Incident>list(
                "kind = 'maintenance' and ((status = ?1 and scheduledFor <= ?3) or (status in ?2 and scheduledUntil <= ?3))",
                IncidentStatus.SCHEDULED, List.of(IncidentStatus.IN_PROGRESS, IncidentStatus.VERIFYING), now));
        for (Incident m : due) {
            boolean starting = m.status == IncidentStatus.SCHEDULED && m.scheduledUntil.isAfter(now);
            Map<String, ComponentStatus> statuses = new LinkedHashMap<>();
            m.components.forEach(c -> statuses.put(c, starting ? ComponentStatus.UNDER_MAINTENANCE : ComponentStatus.OPERATIONAL));
            update(m.id, starting ? IncidentStatus.IN_PROGRESS : IncidentStatus.COMPLETED,
                    starting ? "Scheduled maintenance is in progress." : "Scheduled maintenance has been completed.",
                    statuses);
            LOG.infof("Maintenance %s %s", m.id, starting ? "started" : "completed");
        }
    }
}
