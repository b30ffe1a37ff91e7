package ai.loopgpt.dr.recovery.incident;

import static ai.loopgpt.dr.text.Markdown.cell;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.IncidentEvent;
import ai.loopgpt.dr.recovery.incident.Postmortem;
import ai.loopgpt.dr.recovery.incident.PostmortemAction;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.text.Markdown;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plan's post-mortem of a resolved incident: due 48 hours after the resolution, its action
 * items (owner, deadline), and its report in Markdown, from the incident's own timeline.
 */
@ApplicationScoped
public class PostmortemService {

    /** The plan's agenda. */
    static final List<String> AGENDA = List.of("Incident timeline", "Root cause analysis", "Impact assessment",
            "Response evaluation", "Lessons learned", "Action items");

    private final RecoverySettings settings;
    private final Clock clock;

    public PostmortemService(RecoverySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    private static Postmortem of(UUID incident) {
        Incident i = Incident.<Incident>findByIdOptional(incident)
                .orElseThrow(() -> ProblemException.notFound("incident", incident));
        Postmortem p = Postmortem.findById(incident);
        if (p == null) {
            throw ProblemException.conflict("Incident " + i.id + " is " + i.status
                    + ": its post-mortem starts when it is resolved.");
        }
        return p;
    }

    public PostmortemAction addAction(UUID incident, String description, String owner, LocalDate dueDate, String by) {
        return QuarkusTransaction.requiringNew().call(() -> {
            of(incident);
            PostmortemAction a = new PostmortemAction();
            a.id = UUID.randomUUID();
            a.incidentId = incident;
            a.description = description;
            a.owner = owner;
            a.dueDate = dueDate;
            a.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            a.createdBy = by;
            a.persist();
            return a;
        });
    }

    /** The incident's action items, oldest first. */
    public List<PostmortemAction> actions(UUID incident) {
        return QuarkusTransaction.requiringNew().call(() -> {
            of(incident);
            return PostmortemAction.list("incidentId", Sort.ascending("createdAt"), incident);
        });
    }

    /** Closes an action item, once: a second close is a conflict naming who closed it. */
    public PostmortemAction done(UUID incident, UUID action, String note, String by) {
        return QuarkusTransaction.requiringNew().call(() -> {
            of(incident);
            PostmortemAction a = PostmortemAction.findById(action, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (a == null || !a.incidentId.equals(incident)) {
                throw new ProblemException(ai.loopgpt.dr.common.problem.ProblemType.NOT_FOUND, "Incident " + incident
                        + " has no action item " + action + ".");
            }
            if (a.doneAt != null) {
                throw ProblemException.conflict("Action item " + action + " was closed at " + a.doneAt + " by " + a.doneBy + ".");
            }
            a.doneAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            a.doneBy = by;
            a.doneNote = note;
            return a;
        });
    }

    /** Today, in UTC, for the action items' due dates. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
    }

    public Postmortem complete(UUID incident, String summary, String by) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // Locked first (read fresh): of concurrent completions one completes, the others wait and get a 409.
            Postmortem p = Postmortem.findById(incident, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (p == null) {
                of(incident); // says why: no such incident, or not resolved yet
            }
            if (p.completedAt != null) {
                throw ProblemException.conflict("The post-mortem of incident " + incident + " was completed at "
                        + p.completedAt + " by " + p.completedBy + ".");
            }
            p.completedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            p.completedBy = by;
            p.summary = summary;
            return p;
        });
    }

    /** The report: the incident, its measured objectives, its timeline, the plan's agenda, the action items. */
    public String render(UUID incident) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = of(incident);
            Incident i = Incident.findById(incident);
            List<IncidentEvent> events = IncidentEvent.list("incidentId", Sort.ascending("at", "id"), incident);
            List<PostmortemAction> actions = PostmortemAction.list("incidentId", Sort.ascending("createdAt"), incident);
            StringBuilder md = new StringBuilder();
            md.append("# Post-mortem: ").append(cell(i.title)).append("\n\n")
                    .append("- Scenario: ").append(i.scenario.title()).append(" (runbook v").append(i.runbookVersion)
                    .append(")\n- Severity: ").append(i.severity)
                    .append("\n- Started: ").append(time(i.startedAt))
                    .append("\n- Declared: ").append(time(i.declaredAt)).append(" by ").append(cell(i.declaredBy))
                    .append("\n- Public incident visible: ").append(i.publishedAt == null ? "not published"
                            : time(i.publishedAt) + " (" + Duration.between(i.declaredAt, i.publishedAt).toSeconds()
                                    + " s after the declaration; plan: 5 minutes)")
                    .append("\n- Resolved: ").append(time(i.resolvedAt))
                    .append("\n- Post-mortem due: ").append(time(p.dueAt))
                    .append(p.completedAt == null ? " (open)" : ", completed " + time(p.completedAt) + " by "
                            + cell(p.completedBy)).append('\n');
            if (i.roles != null && !i.roles.isEmpty()) {
                md.append("- Roles: ");
                i.roles.forEach((role, who) -> md.append(role).append(" ").append(cell(who)).append("; "));
                md.setLength(md.length() - 2);
                md.append('\n');
            }
            md.append("\n## Objectives\n\n");
            if (i.rtoSeconds != null) {
                md.append("- RTO: ").append(i.rtoSeconds).append(" s (plan: ").append(settings.rto().toSeconds())
                        .append(" s) — ").append(i.rtoSeconds <= settings.rto().toSeconds() ? "met" : "missed").append('\n');
            }
            if (i.rpo != null) {
                for (Map.Entry<String, Map<String, Object>> rpo : i.rpo.entrySet()) {
                    Object seconds = rpo.getValue().get("seconds");
                    md.append("- RPO of ").append(cell(rpo.getKey())).append(": ")
                            .append(seconds != null ? seconds + " s (plan: " + settings.rpo().toSeconds() + " s) — "
                                    + (Boolean.TRUE.equals(rpo.getValue().get("met")) ? "met" : "missed")
                                    : cell(String.valueOf(rpo.getValue().get("reason")))).append('\n');
                }
            }
            Markdown.Table timeline = Markdown.table("Time", "Event", "Who", "Note", "Link");
            for (IncidentEvent e : events) {
                timeline.row(time(e.at), e.kind + (e.stepId != null ? " " + e.stepId : "")
                        + (e.outcome != null ? " (" + e.outcome + ")" : ""), cell(e.actor), cell(e.note), cell(e.link));
            }
            md.append("\n## 1. Incident timeline\n\n").append(timeline).append("\n## 2. Root cause analysis\n\n").append(text(i.rootCause))
                    .append("\n\n## 3. Impact assessment\n\nAffected components: ")
                    .append(i.affectedComponents == null || i.affectedComponents.isEmpty() ? "none recorded"
                            : cell(String.join(", ", i.affectedComponents)))
                    .append(".\n\n## 4. Response evaluation\n\n").append(text(p.summary))
                    .append("\n\n## 5. Lessons learned\n\nPreventive measures: ").append(text(i.preventiveMeasures))
                    .append("\n\n## 6. Action items\n\n");
            if (actions.isEmpty()) {
                md.append("None yet.\n");
            } else {
                Markdown.Table table = Markdown.table("Action", "Owner", "Due", "State");
                LocalDate today = today();
                for (PostmortemAction a : actions) {
                    table.row(cell(a.description), cell(a.owner), a.dueDate, a.state(today).name().toLowerCase()
                            + (a.doneAt == null ? "" : " " + time(a.doneAt)));
                }
                md.append(table);
            }
            md.append("\nAgenda (the plan's): ").append(String.join("; ", AGENDA)).append(".\n");
            return md.toString();
        });
    }

    private static String time(Instant at) {
        return at == null ? "–" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? "To be written." : cell(s);
    }
}
