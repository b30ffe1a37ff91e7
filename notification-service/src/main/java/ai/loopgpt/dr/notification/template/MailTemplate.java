package ai.loopgpt.dr.notification.template;

import java.util.List;

/**
 * A message template: its subject (itself a template), the variables it needs, and its parts in
 * {@code templates/mail/<name>.txt} and {@code .html}.
 */
public record MailTemplate(String name, String description, String subject, List<String> variables) {

    /** The templates of the suite: the plan's two user emails and the messages the services send. */
    public static final List<MailTemplate> ALL = List.of(
            new MailTemplate("incident-notification", "The plan's incident email to users",
                    "LoopGPT Service Issue - {date}", List.of("date", "status", "estimatedResolution", "affectedServices")),
            new MailTemplate("resolution-notification", "The plan's resolution email to users",
                    "LoopGPT Service Restored - {date}",
                    List.of("date", "duration", "dataLoss", "rootCause", "preventiveMeasures")),
            new MailTemplate("status-update", "An update of an incident or maintenance, to status page subscribers",
                    "[LoopGPT status] {incident}: {status}", List.of("incident", "status", "body", "affectedServices", "link")),
            new MailTemplate("data-breach-notice", "Notice to users whose data was concerned by a breach",
                    "Important security notice about your LoopGPT account",
                    List.of("date", "dataConcerned", "actionsTaken", "userActions", "contact")),
            new MailTemplate("subscription-confirmation", "The double opt-in mail of a new subscriber",
                    "Confirm your LoopGPT status updates", List.of("link")),
            new MailTemplate("backup-failure-alert", "A backup alert to operators: a failed backup, verification or "
                    + "drill, or an RPO breach", "[LoopGPT DR] {target}: {problem}",
                    List.of("target", "problem", "date", "reason", "rpoAge", "action")),
            new MailTemplate("incident-update-reminder", "A reminder to the team that an incident's update is due, "
                    + "with a drafted update", "[LoopGPT incident] {incident}: no update for {minutes} minutes",
                    List.of("incident", "minutes", "draft", "id", "link")),
            new MailTemplate("breach-deadline-reminder", "A reminder to the team of a data breach's GDPR 72-hour "
                    + "deadline", "[LoopGPT incident] {incident}: {hoursLeft} h left to notify (GDPR 72 h)",
                    List.of("incident", "awareAt", "deadline", "hoursLeft", "missing", "id")),
            new MailTemplate("postmortem-reminder", "A reminder to the team that a post-mortem is overdue",
                    "[LoopGPT incident] {incident}: the post-mortem is overdue", List.of("incident", "due", "id")),
            new MailTemplate("backup-recovered", "The end of a backup alert, to operators",
                    "[LoopGPT DR] {target}: resolved: {problem}",
                    List.of("target", "problem", "date", "resolution", "rpoAge")),
            new MailTemplate("game-day-summary", "The one-page summary of a game day to the team: each of the "
                    + "plan's test scenarios, its result and its times against the objectives",
                    "[LoopGPT game day] {date}: {result}", List.of("date", "result", "summary", "id")));
}
