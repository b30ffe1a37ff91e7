package ai.loopgpt.dr.recovery.incident;

import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.IncidentEvent;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.outbox.PeerMessage;
import ai.loopgpt.dr.recovery.restore.Restore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The plan's cadence: while an incident is open and nothing was posted for
 * {@code recovery.communication.update-every} (30 minutes), the team is reminded, once per gap,
 * with an update drafted from the incident's state (steps done, restores running).
 */
@ApplicationScoped
public class IncidentCadence {

    private static final Logger LOG = Logger.getLogger(IncidentCadence.class);

    private final RecoverySettings.Communication settings;
    private final Leadership leadership;
    private final Clock clock;

    public IncidentCadence(RecoverySettings settings, Leadership leadership, Clock clock) {
        this.settings = settings.communication();
        this.leadership = leadership;
        this.clock = clock;
    }

    @Scheduled(every = "${recovery.communication.cadence-check-every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (leadership.leads("incident-cadence")) {
            check();
        }
    }

    /** Reminds the team of every open incident whose update is due and not yet reminded of. */
    public synchronized void check() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<UUID> open = QuarkusTransaction.requiringNew().call(() -> Incident.<Incident>list("status",
                Incident.Status.OPEN).stream().map(i -> i.id).toList());
        for (UUID id : open) {
            QuarkusTransaction.requiringNew().run(() -> remindIfDue(id, now));
            QuarkusTransaction.requiringNew().run(() -> breachDeadline(id, now));
        }
        QuarkusTransaction.requiringNew().run(() -> overduePostmortems(now));
    }

    /** A post-mortem past its due date and not completed reminds the team, once. */
    private void overduePostmortems(Instant now) {
        for (ai.loopgpt.dr.recovery.incident.Postmortem p : ai.loopgpt.dr.recovery.incident.Postmortem
                .<ai.loopgpt.dr.recovery.incident.Postmortem>list("completedAt is null and remindedAt is null and dueAt <= ?1", now)) {
            Incident incident = Incident.findById(p.incidentId);
            p.remindedAt = now;
            IncidentEvent.add(p.incidentId, now, "reminder", null, "recovery-service", "postmortem-overdue",
                    "The post-mortem was due at " + p.dueAt.truncatedTo(ChronoUnit.SECONDS), null);
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("incident", incident.title);
            variables.put("due", p.dueAt.truncatedTo(ChronoUnit.SECONDS).toString());
            variables.put("id", incident.id.toString());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("template", "postmortem-reminder");
            (incident.drill ? settings.drillChannels() : settings.teamChannels()).ifPresent(c -> body.put("channels", c));
            body.put("audience", incident.drill ? settings.drillAudience() : settings.teamAudience());
            body.put("variables", variables);
            body.put("idempotencyKey", "incident-" + incident.id + "-postmortem-overdue");
            PeerMessage.notification(body, incident.id, now);
            LOG.warnf("Incident %s: its post-mortem is overdue (due %s)", incident.id, p.dueAt);
        }
    }

    /** The GDPR's 72 hours: reminders at 24, 48 and 66 hours until the authority and the users are notified. */
    static final List<Integer> BREACH_REMINDERS_HOURS = List.of(24, 48, 66);

    private void breachDeadline(UUID id, Instant now) {
        Incident incident = Incident.findById(id);
        if (incident.awareAt == null || incident.authorityNotifiedAt != null && incident.usersNotifiedAt != null) {
            return;
        }
        int due = 0;
        for (int hours : BREACH_REMINDERS_HOURS) {
            if (!now.isBefore(incident.awareAt.plus(Duration.ofHours(hours)))) {
                due = hours;
            }
        }
        String mark = "breach-" + due + "h";
        if (due == 0 || IncidentEvent.count("incidentId = ?1 and kind = 'reminder' and outcome = ?2", id, mark) > 0) {
            return;
        }
        Instant deadline = incident.awareAt.plus(Duration.ofHours(72));
        List<String> missing = new ArrayList<>();
        if (incident.authorityNotifiedAt == null) {
            missing.add("the authority's notification");
        }
        if (incident.usersNotifiedAt == null) {
            missing.add("the users' notification");
        }
        long hoursLeft = Math.max(0, (Duration.between(now, deadline).toSeconds() + 3599) / 3600);
        IncidentEvent.add(id, now, "reminder", null, "recovery-service", mark,
                hoursLeft + " h left to notify; missing: " + String.join(" and ", missing), null);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("incident", incident.title);
        variables.put("awareAt", incident.awareAt.truncatedTo(ChronoUnit.SECONDS).toString());
        variables.put("deadline", deadline.truncatedTo(ChronoUnit.SECONDS).toString());
        variables.put("hoursLeft", hoursLeft);
        variables.put("missing", String.join(" and ", missing));
        variables.put("id", id.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template", "breach-deadline-reminder");
        (incident.drill ? settings.drillChannels() : settings.teamChannels()).ifPresent(c -> body.put("channels", c));
        body.put("audience", incident.drill ? settings.drillAudience() : settings.teamAudience());
        body.put("variables", variables);
        body.put("idempotencyKey", "incident-" + id + "-" + mark);
        PeerMessage.notification(body, id, now);
        LOG.warnf("Incident %s: data breach, %d h left to notify (%s)", id, hoursLeft, String.join(" and ", missing));
    }

    private void remindIfDue(UUID id, Instant now) {
        Incident incident = Incident.findById(id);
        List<IncidentEvent> events = IncidentEvent.list("incidentId", Sort.ascending("at", "id"), id);
        Instant lastPosted = incident.declaredAt;
        boolean remindedSince = false;
        for (IncidentEvent e : events) {
            if ("update".equals(e.kind)) {
                lastPosted = e.at;
                remindedSince = false;
            } else if ("reminder".equals(e.kind) && !e.at.isBefore(lastPosted)) {
                remindedSince = true;
            }
        }
        Duration gap = Duration.between(lastPosted, now);
        if (remindedSince || gap.compareTo(settings.updateEvery()) < 0) {
            return;
        }
        String draft = draft(incident, events);
        IncidentEvent.add(id, now, "reminder", null, "recovery-service", null, draft, null);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("incident", incident.title);
        variables.put("minutes", gap.toMinutes());
        variables.put("draft", draft);
        variables.put("id", id.toString());
        variables.put("link", settings.statusPageUrl().replaceAll("/+$", "") + "/incidents/" + incident.statusPageId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template", "incident-update-reminder");
        (incident.drill ? settings.drillChannels() : settings.teamChannels()).ifPresent(c -> body.put("channels", c));
        body.put("audience", incident.drill ? settings.drillAudience() : settings.teamAudience());
        body.put("variables", variables);
        body.put("idempotencyKey", "incident-" + id + "-reminder-" + lastPosted.toEpochMilli());
        PeerMessage.notification(body, id, now);
        LOG.infof("Incident %s: no update for %d minutes, the team is reminded", id, gap.toMinutes());
    }

    /** An update written from what the incident shows: the last status, steps done, restores running. */
    static String draft(Incident incident, List<IncidentEvent> events) {
        String status = "investigating";
        List<String> done = new ArrayList<>();
        List<String> running = new ArrayList<>();
        for (IncidentEvent e : events) {
            if ("update".equals(e.kind) && e.outcome != null) {
                status = e.outcome;
            } else if ("step".equals(e.kind) && "done".equals(e.outcome)) {
                done.add(e.stepId);
            } else if ("step".equals(e.kind) && e.link != null && e.link.startsWith("/api/v1/restores/")) {
                Restore r = Restore.findById(UUID.fromString(e.link.substring("/api/v1/restores/".length())));
                if (r != null) {
                    running.add("restore into " + r.destination + ": " + r.phase
                            + (r.step != null ? " (" + r.step + ")" : "")
                            + (r.bytesTotal != null && r.bytesTotal > 0 ? ", " + (100 * r.bytesRead / r.bytesTotal) + " % read" : ""));
                }
            }
        }
        StringBuilder text = new StringBuilder("We are still working on this issue (" + status + ").");
        if (!done.isEmpty()) {
            text.append(" Done so far: ").append(String.join(", ", done)).append('.');
        }
        if (!running.isEmpty()) {
            text.append(" In progress: ").append(String.join("; ", running)).append('.');
        }
        return text.append(" Next update within 30 minutes.").toString();
    }
}
