package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "incident",
        description = "Declare incidents that run the plan's runbooks, post updates, do steps, resolve (recovery-service).",
        subcommands = {IncidentCommand.Declare.class, IncidentCommand.ListIncidents.class, IncidentCommand.Show.class,
                IncidentCommand.Update.class, IncidentStepCommand.class, IncidentCommand.Timeline.class,
                IncidentCommand.Messages.class, IncidentCommand.Resolve.class, IncidentCommand.BreachNotice.class, PostmortemCommand.class},
        mixinStandardHelpOptions = true)
public class IncidentCommand {

    static final String PATH = "/api/v1/incidents";

    /** The plan's incident roles: as typed on the command line (kebab-case) and as the API names them. */
    static final Map<String, String> ROLES = orderedMap("incident-commander", "incidentCommander",
            "technical-lead", "technicalLead", "communications-lead", "communicationsLead", "support-lead", "supportLead");

    static final List<Column> COLUMNS = List.of(
            Column.required("ID", "id"), Column.required("SCENARIO", "scenario"), Column.required("SEVERITY", "severity"),
            Column.required("STATUS", "status"), Column.time("STARTED", "startedAt"), Column.time("RESOLVED", "resolvedAt"),
            new Column("DRILL", n -> n.path("drill").asBoolean() ? "yes" : ""), Column.required("TITLE", "title"));

    @Command(name = "declare", mixinStandardHelpOptions = true,
            description = "Declares an incident: opens the public incident, mails users and the team, starts its runbook.",
            footer = {"%nExample:", "  drctl incident declare --title 'Orders database down' --scenario database-failure \\",
                    "      --severity MAJOR --component orders --target loopgpt --role incident-commander=alice --role technical-lead=bob"})
    static class Declare extends ApiCommand {
        @Option(names = "--title", required = true)
        String title;
        @Option(names = "--scenario", required = true,
                description = "database-failure, edge-function-failure, provider-outage, complete-outage or data-breach.")
        String scenario;
        @Option(names = "--severity", required = true, description = "CRITICAL, MAJOR or MINOR.")
        String severity;
        @Option(names = "--summary", description = "What is known.")
        String summary;
        @Option(names = "--component", paramLabel = "ID", description = "An affected status-page component (repeatable).")
        List<String> components;
        @Option(names = "--target", paramLabel = "NAME", description = "An affected backup target (repeatable).")
        List<String> targets;
        @Option(names = "--role", paramLabel = "ROLE=PERSON",
                description = "Who holds a plan role (repeatable): incident-commander, technical-lead, communications-lead "
                        + "or support-lead (incidentCommander… also accepted).")
        Map<String, String> roles;
        @Option(names = "--started-at", paramLabel = "TIME", description = "When it began (default: now; or a duration ago).")
        String startedAt;
        @Option(names = "--aware-at", paramLabel = "TIME", description = "Data breach: when we became aware (starts the 72 h clock).")
        String awareAt;
        @Option(names = "--provider", description = "Provider outage: the provider.")
        String provider;
        @Option(names = "--drill", description = "A drill: nothing goes to the public page or users.")
        boolean drill;

        @Override
        protected int run() {
            ObjectNode body = Json.object().put("title", title).put("scenario", scenario).put("severity", severity);
            putIfSet(body, "summary", summary);
            if (components != null) {
                components.forEach(body.putArray("affectedComponents")::add);
            }
            if (targets != null) {
                targets.forEach(body.putArray("affectedTargets")::add);
            }
            if (roles != null) {
                ObjectNode r = body.putObject("roles");
                roles.forEach((role, person) -> r.put(role(role), person));
            }
            Instant now = Instant.now();
            putIfSet(body, "startedAt", startedAt == null ? null : Text.parseTime(startedAt, now).toString());
            putIfSet(body, "awareAt", awareAt == null ? null : Text.parseTime(awareAt, now).toString());
            putIfSet(body, "provider", provider);
            if (drill) {
                body.put("drill", true);
            }
            return post(Service.RECOVERY, PATH, body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists incidents, newest first.",
            footer = {"%nExample:", "  drctl incident list --status OPEN"})
    static class ListIncidents extends ApiCommand {
        @Option(names = "--status", description = "OPEN or RESOLVED.")
        String status;
        @Mixin
        Paging paging;

        @Override
        protected int run() {
            return list(Service.RECOVERY, PATH, paging.query("status", status), COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows an incident: roles, objectives (RTO, RPO), publication, breach clock.",
            footer = {"%nExample:", "  drctl incident show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Show extends ShowCommand {
        Show() {
            super(Service.RECOVERY, PATH, "id", "title", "scenario", "severity", "status");
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Posts an update: on the status page, to users and to the team.",
            footer = {"%nExample:", "  drctl incident update 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 --status identified \\",
                    "      --message 'The primary lost its disk; restoring from the 08:00 backup.'"})
    static class Update extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--status", required = true, description = "investigating, identified or monitoring.")
        String status;
        @Option(names = {"-m", "--message"}, required = true)
        String message;

        @Override
        protected int run() {
            return post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/updates",
                    Json.object().put("status", status).put("body", message));
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true, description = "The incident's timeline.",
            footer = {"%nExample:", "  drctl incident timeline 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Timeline extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            return list(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/timeline", null, List.of(
                    Column.time("AT", "at"), Column.of("KIND", "kind"), Column.of("STEP", "step"),
                    Column.of("ACTOR", "actor"), Column.of("OUTCOME", "outcome"), Column.of("NOTE", "note")));
        }
    }

    static final List<Column> MESSAGE_COLUMNS = List.of(
            new Column("CREATED", n -> Text.time(Json.requireText(n, "createdAt"))), Column.required("PEER", "peer"),
            Column.required("WHAT", "what"), Column.of("AUDIENCE", "audience"), Column.required("STATE", "state"),
            Column.of("DELIVERY", "delivery"),
            new Column("DETAIL", n -> Json.text(n, "deliveryDetail") != null ? Json.text(n, "deliveryDetail")
                    : Json.text(n, "error")));

    @Command(name = "messages", mixinStandardHelpOptions = true,
            description = {"The incident's messages to the status page and notification-service: whether each was taken "
                    + "(queued, sent, dead: refused for good) and, for notifications, whether it was delivered (pending, "
                    + "delivered, dead), with the reason.",
                    "Exits 2 if any message is dead (state or delivery), so a script can tell."},
            footer = {"%nExamples:", "  drctl incident messages 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60",
                    "  drctl incident messages 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 -o json"})
    static class Messages extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            JsonNode answer = api.get(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/messages");
            int dead = dead(answer);
            output.list(Service.RECOVERY, answer, MESSAGE_COLUMNS);
            if (dead > 0) {
                err.println("Error: " + dead + " of " + answer.size() + (answer.size() == 1 ? " message" : " messages")
                        + " of incident " + Text.printable(id) + (dead == 1 ? " is" : " are")
                        + " dead (refused for good or not delivered): see STATE, DELIVERY and DETAIL");
                err.flush();
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }

        /**
         * How many messages are dead (state or delivery "dead"). The answer must be a list of objects
         * with a {@code state}, and a {@code delivery} that is a text when present, whatever the output
         * format: the exit code depends on them.
         */
        static int dead(JsonNode answer) {
            if (answer == null || !answer.isArray()) {
                throw new Json.UnexpectedDocument("expected a list of messages, got " + Json.kind(answer)).from(Service.RECOVERY);
            }
            int dead = 0;
            for (int n = 0; n < answer.size(); n++) {
                JsonNode message = answer.get(n);
                try {
                    Json.requireObject(message);
                    String state = Json.requireText(message, "state");
                    JsonNode delivery = message.get("delivery");
                    if (delivery != null && !delivery.isNull() && !delivery.isTextual()) {
                        throw new Json.UnexpectedDocument("'delivery' is " + Json.kind(delivery) + ", not a text");
                    }
                    if ("dead".equals(state) || (delivery != null && "dead".equals(delivery.asText()))) {
                        dead++;
                    }
                } catch (Json.UnexpectedDocument e) {
                    throw e.in("item " + n).from(Service.RECOVERY);
                }
            }
            return dead;
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = "Resolves an incident: measures RTO and RPO, posts the resolution, starts the post-mortem clock.",
            footer = {"%nExample:", "  drctl incident resolve 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 --root-cause 'disk failure' \\",
                    "      --preventive-measures 'replica in a second zone'"})
    static class Resolve extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--root-cause")
        String rootCause;
        @Option(names = "--preventive-measures")
        String preventiveMeasures;

        @Override
        protected int run() {
            ObjectNode body = Json.object();
            putIfSet(body, "rootCause", rootCause);
            putIfSet(body, "preventiveMeasures", preventiveMeasures);
            return post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/resolve", body);
        }
    }

    @Command(name = "breach-notice", mixinStandardHelpOptions = true,
            description = "Data breach: sends the plan's breach notice to the affected users' audience (by email) and "
                    + "records the users as notified (the runbook's notify-users; the 72 h GDPR clock).",
            footer = {"%nExample:", "  drctl incident breach-notice 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 --audience status-subscribers \\",
                    "      --data-concerned 'email addresses and order history' \\",
                    "      --actions-taken 'we revoked the leaked key and rotated every credential' \\",
                    "      --user-actions 'be wary of mails quoting your orders; we never ask for your password' \\",
                    "      --contact privacy@loopgpt.ai"})
    static class BreachNotice extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--audience", required = true, description = "The affected users' audience (notify.audiences).")
        String audience;
        @Option(names = "--data-concerned", required = true, paramLabel = "TEXT", description = "What data the breach concerns.")
        String dataConcerned;
        @Option(names = "--actions-taken", required = true, paramLabel = "TEXT", description = "What we did about it.")
        String actionsTaken;
        @Option(names = "--user-actions", required = true, paramLabel = "TEXT", description = "What users should do.")
        String userActions;
        @Option(names = "--contact", required = true, paramLabel = "TEXT", description = "Whom users can ask.")
        String contact;

        @Override
        protected int run() {
            return post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/breach/notice", Json.object()
                    .put("audience", audience).put("dataConcerned", dataConcerned).put("actionsTaken", actionsTaken)
                    .put("userActions", userActions).put("contact", contact));
        }
    }

    /** A plan role as the API names it ({@code incidentCommander}), from either spelling. */
    static String role(String given) {
        for (Map.Entry<String, String> role : ROLES.entrySet()) {
            if (role.getKey().equalsIgnoreCase(given.strip()) || role.getValue().equalsIgnoreCase(given.strip())) {
                return role.getValue();
            }
        }
        throw new IllegalArgumentException("--role: '" + given + "' is not one of the plan's roles: "
                + String.join(", ", ROLES.keySet()) + ".");
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
