package ai.loopgpt.dr.recovery.incident;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.IncidentEvent;
import ai.loopgpt.dr.recovery.incident.Scenario;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.restore.Restore;
import ai.loopgpt.dr.recovery.rollback.Rollback;
import ai.loopgpt.dr.recovery.runbook.Runbook;
import ai.loopgpt.dr.recovery.runbook.RunbookLibrary;
import ai.loopgpt.dr.common.security.Callers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Incidents that follow their scenario's runbook: declared with the plan's roles, their steps
 * ticked (checklist items) or run (a restore, a rollback) and every one of them in the timeline.
 */
@ApplicationScoped
public class IncidentRunbookService {

    private static final Logger LOG = Logger.getLogger(IncidentRunbookService.class);

    private final Clock clock;
    private final RunbookLibrary runbooks;
    private final ai.loopgpt.dr.recovery.client.BackupClient backups;
    private final RecoverySettings settings;
    private final ai.loopgpt.dr.recovery.metrics.RecoveryMetrics metrics;
    private final IncidentCommunication communication;

    private final StatusComponents statusComponents;

    public IncidentRunbookService(Clock clock, RunbookLibrary runbooks,
            ai.loopgpt.dr.recovery.client.BackupClient backups, ai.loopgpt.dr.recovery.config.RecoverySettings settings,
            ai.loopgpt.dr.recovery.metrics.RecoveryMetrics metrics, IncidentCommunication communication,
            StatusComponents statusComponents) {
        this.communication = communication;
        this.statusComponents = statusComponents;
        this.backups = backups;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.runbooks = runbooks;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** What a declaration says. */
    public record Declaration(String title, Scenario scenario, Incident.Severity severity, String summary,
            List<String> affectedComponents, List<String> affectedTargets, Map<String, String> roles, Instant startedAt,
            Instant awareAt, boolean drill, String provider) {
    }

    public Incident declare(Declaration d, String by) {
        Instant now = now();
        if (d.startedAt() != null && d.startedAt().isAfter(now)) {
            throw ProblemException.badRequest("startedAt is in the future: it is when the trouble began, at the latest now.");
        }
        if (d.awareAt() != null && (d.scenario() != Scenario.DATA_BREACH || d.awareAt().isAfter(now))) {
            throw ProblemException.badRequest("awareAt is for a data breach (when the company became aware of it), "
                    + "at the latest now.");
        }
        if (d.provider() != null && (d.scenario() != Scenario.PROVIDER_OUTAGE
                || !settings.providers().containsKey(d.provider()))) {
            throw ProblemException.badRequest("provider names the provider of a provider-outage incident, one of "
                    + new java.util.TreeSet<>(settings.providers().keySet()) + " (recovery.providers).");
        }
        Map<String, String> roles = new java.util.LinkedHashMap<>();
        if (d.roles() != null) {
            for (Map.Entry<String, String> role : d.roles().entrySet()) {
                // incident-commander and incidentCommander are the same role.
                String name = java.util.regex.Pattern.compile("-([a-z])").matcher(role.getKey())
                        .replaceAll(m -> m.group(1).toUpperCase());
                if (!Runbook.ROLES.contains(name)) {
                    throw ProblemException.badRequest("roles: '" + ProblemException.shorten(role.getKey()) + "' is not one"
                            + " of the plan's roles " + Runbook.ROLES + " (or incident-commander, technical-lead, …).");
                }
                roles.put(name, role.getValue());
            }
        }
        if (!d.drill()) {
            statusComponents.check(d.affectedComponents());
        }
        Runbook runbook = runbooks.of(d.scenario());
        Incident incident = QuarkusTransaction.requiringNew().call(() -> {
            Incident i = new Incident();
            i.id = UUID.randomUUID();
            i.title = d.title();
            i.scenario = d.scenario();
            i.severity = d.severity();
            i.summary = d.summary();
            i.status = Incident.Status.OPEN;
            i.declaredBy = by;
            i.declaredAt = now;
            i.startedAt = d.startedAt() != null ? d.startedAt() : now;
            i.roles = Map.copyOf(roles);
            List<String> components = new java.util.ArrayList<>(d.affectedComponents() == null ? List.of()
                    : d.affectedComponents());
            if (d.provider() != null && !components.contains(settings.providers().get(d.provider()).component())) {
                components.add(settings.providers().get(d.provider()).component());
            }
            i.affectedComponents = List.copyOf(components);
            i.provider = d.provider();
            i.affectedTargets = d.affectedTargets() == null ? List.of() : List.copyOf(d.affectedTargets());
            i.runbookVersion = runbook.version();
            i.statusPageId = IncidentCommunication.statusPageId(i.id);
            i.drill = d.drill();
            if (d.scenario() == Scenario.DATA_BREACH) {
                i.awareAt = d.awareAt() != null ? d.awareAt() : i.startedAt;
            }
            i.persist();
            IncidentEvent.add(i.id, now, "declared", null, by, null, d.summary(), null);
            if (i.provider != null) {
                IncidentEvent.add(i.id, now, "failover", null, "recovery-service", null, failover(i.provider), null);
            }
            communication.declared(i, now);
            return i;
        });
        LOG.infof("Incident %s declared by %s: %s (%s, %s)", incident.id, by, d.title(), d.scenario().code(),
                d.severity());
        return incident;
    }

    /** Where orders go while {@code down} is out: the next provider by priority with no open outage. */
    private String failover(String down) {
        java.util.Set<String> out = new java.util.HashSet<>(Incident.<Incident>list("status = ?1 and provider is not null",
                Incident.Status.OPEN).stream().map(x -> x.provider).toList());
        out.add(down);
        return settings.providers().entrySet().stream().filter(e -> !out.contains(e.getKey()))
                .min(java.util.Comparator.comparingInt((Map.Entry<String, RecoverySettings.Provider> e) -> e.getValue().priority())
                        .thenComparing(Map.Entry::getKey))
                .map(e -> "Orders fail over from " + down + " to " + e.getKey() + " (priority " + e.getValue().priority() + ").")
                .orElse("No provider is left up: display the maintenance message and queue orders for later "
                        + "(steps maintenance-message and queue-orders; POST /api/v1/providers/" + down + "/queue).");
    }

    public Incident get(UUID id) {
        return Incident.<Incident>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("incident", id));
    }

    public PageOf<Incident> list(Incident.Status status, int page, int size) {
        Sort newestFirst = Sort.descending("declaredAt", "id");
        var query = status == null ? Incident.<Incident>findAll(newestFirst)
                : Incident.<Incident>find("status", newestFirst, status);
        return new PageOf<>(query.page(page, size).list(), page, size, query.count());
    }

    /** Posts an update (investigating, identified, monitoring): on the status page, to users and to the team. */
    public IncidentEvent update(UUID id, String status, String body, String by) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Incident incident = get(id);
            if (incident.status == Incident.Status.RESOLVED) {
                throw ProblemException.conflict("Incident " + id + " was resolved at " + incident.resolvedAt
                        + "; resolve is its last update.");
            }
            Instant now = now();
            IncidentEvent event = IncidentEvent.add(id, now, "update", null, by, status, body, null);
            communication.updated(incident, status, body, now);
            return event;
        });
    }

    /** The variables of the plan's data breach notice, besides its date. */
    public record BreachNotice(String audience, String dataConcerned, String actionsTaken, String userActions,
            String contact) {
    }

    /**
     * Sends the plan's data breach notice to the affected users' audience and records the users as
     * notified (the runbook's notify-users step).
     */
    public IncidentEvent breachNotice(UUID id, BreachNotice notice, String by) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Incident incident = get(id);
            if (incident.scenario != Scenario.DATA_BREACH) {
                throw ProblemException.conflict("Incident " + id + " is a " + incident.scenario.code()
                        + ", not a data breach: it sends no breach notice.");
            }
            Instant now = now();
            communication.breachNotice(incident, notice, now);
            if (incident.usersNotifiedAt == null) {
                incident.usersNotifiedAt = now;
            }
            boolean ticked = IncidentEvent.count("incidentId = ?1 and stepId = 'notify-users' and outcome = 'done'", id) > 0;
            return IncidentEvent.add(id, now, "step", "notify-users", by, ticked ? "started" : "done",
                    "data breach notice sent to " + notice.audience(), null);
        });
    }

    /** What each restore and rollback the incident started took (the RTO of each action). */
    private static List<Map<String, Object>> actionTimes(UUID id) {
        List<Map<String, Object>> times = new java.util.ArrayList<>();
        for (IncidentEvent e : IncidentEvent.<IncidentEvent>list("incidentId = ?1 and link is not null",
                Sort.ascending("at"), id)) {
            Map<String, Object> t = new java.util.LinkedHashMap<>();
            t.put("step", e.stepId);
            t.put("link", e.link);
            UUID target = UUID.fromString(e.link.substring(e.link.lastIndexOf('/') + 1));
            Instant started = null;
            Instant finished = null;
            String phase = null;
            if (e.link.startsWith("/api/v1/restores/")) {
                Restore r = Restore.findById(target);
                if (r != null) {
                    started = r.startedAt;
                    finished = r.finishedAt;
                    phase = String.valueOf(r.phase);
                }
            } else {
                Rollback r = Rollback.findById(target);
                if (r != null) {
                    started = r.startedAt;
                    finished = r.finishedAt;
                    phase = String.valueOf(r.phase);
                }
            }
            t.put("phase", phase);
            t.put("durationSeconds", started != null && finished != null
                    ? java.time.Duration.between(started, finished).toSeconds() : null);
            times.add(t);
        }
        return times;
    }

    public List<IncidentEvent> timeline(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            get(id);
            return IncidentEvent.<IncidentEvent>list("incidentId", Sort.ascending("at", "id"), id);
        });
    }

    /**
     * Resolves the incident and measures it: RTO from its start to now, and per affected target the
     * RPO, from its start back to that target's last good backup (asked from backup-service; if it
     * cannot answer, the target's entry says so and the incident is resolved all the same).
     */
    public Incident resolve(UUID id, String rootCause, String preventiveMeasures, String by) {
        Incident before = QuarkusTransaction.requiringNew().call(() -> get(id));
        if (before.status == Incident.Status.RESOLVED) {
            throw ProblemException.conflict("Incident " + id + " was already resolved at " + before.resolvedAt + ".");
        }
        Map<String, Map<String, Object>> rpo = new java.util.TreeMap<>();
        for (String target : before.affectedTargets == null ? List.<String>of() : before.affectedTargets) {
            Map<String, Object> measured = new java.util.LinkedHashMap<>();
            try {
                backups.latestBefore(target, before.startedAt).ifPresentOrElse(b -> {
                    long seconds = java.time.Duration.between(b.startedAt(), before.startedAt).toSeconds();
                    measured.put("backupId", b.id().toString());
                    measured.put("backupTakenAt", b.startedAt().toString());
                    measured.put("seconds", seconds);
                    measured.put("met", seconds <= settings.rpo().toSeconds());
                }, () -> {
                    measured.put("met", false);
                    measured.put("reason", "no good backup of " + target + " before the incident started");
                });
            } catch (ProblemException e) {
                measured.put("reason", "backup-service could not answer: " + e.detail());
            }
            rpo.put(target, measured);
        }
        Incident resolved = QuarkusTransaction.requiringNew().call(() -> {
            // Locked: of concurrent resolutions one resolves, the others wait and are told it is resolved.
            Incident incident = Incident.<Incident>findByIdOptional(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                    .orElseThrow(() -> ProblemException.notFound("incident", id));
            if (incident.status == Incident.Status.RESOLVED) {
                throw ProblemException.conflict("Incident " + id + " was already resolved at " + incident.resolvedAt + ".");
            }
            incident.status = Incident.Status.RESOLVED;
            incident.resolvedAt = now();
            incident.rtoSeconds = java.time.Duration.between(incident.startedAt != null ? incident.startedAt
                    : incident.declaredAt, incident.resolvedAt).toSeconds();
            incident.rpo = rpo;
            incident.actionTimes = actionTimes(id);
            incident.rootCause = rootCause;
            incident.preventiveMeasures = preventiveMeasures;
            IncidentEvent.add(id, incident.resolvedAt, "resolved", null, by, null, rootCause, null);
            communication.resolved(incident, incident.resolvedAt);
            ai.loopgpt.dr.recovery.incident.Postmortem postmortem = new ai.loopgpt.dr.recovery.incident.Postmortem();
            postmortem.incidentId = id;
            postmortem.dueAt = incident.resolvedAt.plus(settings.postmortemDue());
            postmortem.persist();
            LOG.infof("Incident %s resolved", id);
            return incident;
        });
        // Measured once the resolution is committed: a refused or failed one records nothing.
        metrics.incidentRto(resolved.scenario.code(), java.time.Duration.ofSeconds(resolved.rtoSeconds));
        rpo.forEach((target, measured) -> {
            if (measured.get("seconds") instanceof Number seconds) {
                metrics.incidentRpo(target, seconds.longValue());
            }
        });
        return resolved;
    }
}
