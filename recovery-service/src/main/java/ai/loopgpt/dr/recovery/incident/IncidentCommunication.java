package ai.loopgpt.dr.recovery.incident;

import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.outbox.PeerMessage;
import ai.loopgpt.dr.recovery.runbook.RunbookLibrary;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an incident tells, following the plan's communication plan: the public incident on the
 * status page, the plan's Incident and Resolution Notification emails to users and a message to the
 * team's Slack #incidents for the declaration, each update and the resolution. Queued in the
 * caller's transaction (the outbox sends them), each with an id or idempotency key of its own.
 */
@ApplicationScoped
public class IncidentCommunication {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMMM d, yyyy HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final RecoverySettings.Communication settings;
    private final RunbookLibrary runbooks;

    public IncidentCommunication(RecoverySettings settings, RunbookLibrary runbooks) {
        this.settings = settings.communication();
        this.runbooks = runbooks;
    }

    /** The status page id of {@code incident}: 'r' and its id's 32 hex digits. */
    static String statusPageId(UUID incident) {
        return "r" + incident.toString().replace("-", "");
    }

    /** The public page hears of real incidents only. */
    private static void toPage(Incident i, String method, String path, Map<String, Object> body, boolean publishes,
            Instant now) {
        if (!i.drill) {
            PeerMessage.enqueue(PeerMessage.STATUS, method, path, body, i.id, publishes, now);
        }
    }

    void declared(Incident i, Instant now) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("id", i.statusPageId);
        page.put("name", i.title);
        page.put("status", "investigating");
        page.put("impact", impact(i.severity));
        page.put("body", i.summary != null && !i.summary.isBlank() ? i.summary
                : "We are investigating an issue affecting " + affected(i) + ".");
        Map<String, String> components = new LinkedHashMap<>();
        i.affectedComponents.forEach(c -> components.put(c, componentStatus(i.severity)));
        page.put("components", components);
        toPage(i, "POST", "/api/v1/incidents", page, true, now);

        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("date", DATE.format(i.startedAt));
        variables.put("status", "Investigating");
        variables.put("estimatedResolution", runbooks.of(i.scenario).expectedRecovery());
        variables.put("affectedServices", affected(i));
        notify(i, "incident-notification", variables, "declared", now);
    }

    void updated(Incident i, String status, String body, Instant now) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("id", "u" + UUID.randomUUID().toString().replace("-", ""));
        page.put("status", status);
        page.put("body", body);
        toPage(i, "POST", "/api/v1/incidents/" + i.statusPageId + "/updates", page, false, now);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("incident", i.title);
        variables.put("status", status);
        variables.put("body", body);
        variables.put("affectedServices", affected(i));
        variables.put("link", settings.statusPageUrl().replaceAll("/+$", "") + "/incidents/" + i.statusPageId);
        notify(i, "status-update", variables, "update-" + page.get("id"), now);
    }

    void resolved(Incident i, Instant now) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("id", "s" + i.id.toString().replace("-", ""));
        page.put("status", "resolved");
        page.put("body", "This incident has been resolved." + (i.rootCause == null ? "" : " Cause: " + i.rootCause));
        toPage(i, "POST", "/api/v1/incidents/" + i.statusPageId + "/updates", page, false, now);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("date", DATE.format(i.resolvedAt));
        variables.put("duration", human(Duration.ofSeconds(i.rtoSeconds == null ? 0 : i.rtoSeconds)));
        variables.put("dataLoss", dataLoss(i));
        variables.put("rootCause", i.rootCause != null ? i.rootCause : "Being investigated; the post-mortem follows.");
        variables.put("preventiveMeasures", i.preventiveMeasures != null ? i.preventiveMeasures
                : "To be decided in the post-mortem.");
        notify(i, "resolution-notification", variables, "resolved", now);
    }

    /** Sets components on the status page (a runbook step); a game day never touches the page. */
    void components(Incident i, Map<String, String> statuses, Instant now) {
        statuses.forEach((component, status) -> toPage(i, "PUT", "/api/v1/components/" + component + "/status",
                Map.of("status", status), false, now));
    }

    void breachNotice(Incident i, IncidentRunbookService.BreachNotice notice, Instant now) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("date", DATE.format(i.awareAt != null ? i.awareAt : i.startedAt));
        variables.put("dataConcerned", notice.dataConcerned());
        variables.put("actionsTaken", notice.actionsTaken());
        variables.put("userActions", notice.userActions());
        variables.put("contact", notice.contact());
        send(i, "data-breach-notice", variables, i.drill ? settings.drillAudience() : notice.audience(), java.util.Optional.of(List.of("email")),
                "breach-notice-" + notice.audience() + "-" + now.toEpochMilli(), now);
    }

    /** The same message to the users (email) and to the team (Slack #incidents). */
    private void notify(Incident i, String template, Map<String, Object> variables, String event, Instant now) {
        if (i.drill) {
            send(i, template, variables, settings.drillAudience(), settings.drillChannels(), event + "-drill", now);
            return;
        }
        send(i, template, variables, settings.usersAudience(), settings.usersChannels(), event + "-users", now);
        send(i, template, variables, settings.teamAudience(), settings.teamChannels(), event + "-team", now);
    }

    private void send(Incident i, String template, Map<String, Object> variables, String audience,
            java.util.Optional<List<String>> channels, String event, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template", template);
        channels.ifPresent(c -> body.put("channels", c));
        body.put("audience", audience);
        if (!i.affectedComponents.isEmpty()) {
            body.put("components", i.affectedComponents);
        }
        body.put("variables", variables);
        body.put("idempotencyKey", "incident-" + i.id + "-" + event);
        PeerMessage.notification(body, i.id, now);
    }

    /** The measured RPO as users read it: the data written since the last good backup, per target. */
    static String dataLoss(Incident i) {
        if (i.rpo == null || i.rpo.isEmpty()) {
            return "none expected (no database was restored)";
        }
        List<String> parts = new java.util.ArrayList<>();
        i.rpo.forEach((target, measured) -> parts.add(measured.get("seconds") instanceof Number seconds
                ? "at most " + human(Duration.ofSeconds(seconds.longValue())) + " of " + target + " data (last good backup "
                        + measured.get("backupTakenAt") + ")"
                : target + ": not measured"));
        return String.join("; ", parts);
    }

    private static String affected(Incident i) {
        return i.affectedComponents.isEmpty() ? "LoopGPT" : String.join(", ", i.affectedComponents);
    }

    private static String impact(Incident.Severity severity) {
        return switch (severity) {
            case CRITICAL -> "critical";
            case MAJOR -> "major";
            case MINOR -> "minor";
        };
    }

    private static String componentStatus(Incident.Severity severity) {
        return switch (severity) {
            case CRITICAL -> "major_outage";
            case MAJOR -> "partial_outage";
            case MINOR -> "degraded_performance";
        };
    }

    static String human(Duration d) {
        long minutes = d.toMinutes();
        return minutes < 60 ? minutes + " minutes" : (minutes / 60) + " h " + (minutes % 60) + " min";
    }
}
