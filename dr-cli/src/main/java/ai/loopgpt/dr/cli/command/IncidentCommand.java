package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "incident",
        description = "Declare incidents that run the plan's runbooks, post updates, do steps, resolve (recovery-service).",
        subcommands = {IncidentCommand.Declare.class, IncidentCommand.ListIncidents.class, IncidentCommand.Show.class,
                IncidentCommand.Update.class, IncidentCommand.Step.class, IncidentCommand.Timeline.class,
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
            output.object(Service.RECOVERY, api.post(Service.RECOVERY, PATH, body));
            return ExitCodes.OK;
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
            output.list(Service.RECOVERY, api.get(Service.RECOVERY, PATH, Api.query("status", status, "page", paging.page,
                    "size", paging.size)), COLUMNS);
            return ExitCodes.OK;
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
            output.object(Service.RECOVERY, api.post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/updates",
                    Json.object().put("status", status).put("body", message)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "step", mixinStandardHelpOptions = true,
            description = {"Does a step of the incident's runbook (drctl runbook show SCENARIO lists them): ticks a "
                    + "checklist item, or runs its action: a restore (restore-database), a rollback (rollback-deployment), "
                    + "components set on the status page (resume-operations) or an update posted (notify-users, "
                    + "maintenance-message). The action's options below build its body; --body gives it whole as JSON.",
                    "With --wait, a restore or rollback the step started is followed to its end (exit 0 only if it SUCCEEDED)."},
            footer = {"%nExamples:",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 check-database-status --note 'the primary is gone'",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 restore-database --latest --destination loopgpt --wait",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 restore-database --target loopgpt \\",
                    "      --latest-before 2026-11-28T08:00:00Z --destination loopgpt --wait",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 rollback-deployment --deployment loopgpt/api \\",
                    "      --to-revision 41 --wait",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 resume-operations --component orders=operational \\",
                    "      --component api=operational",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 notify-users -m 'Orders work again; no data was lost.'",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 maintenance-message --status identified \\",
                    "      -m 'Orders are queued and will be placed once our providers are back.'",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 restore-database \\",
                    "      --body '{\"restore\":{\"target\":\"loopgpt\",\"latest\":true,\"destination\":\"loopgpt\"}}'"})
    static class Step extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Parameters(index = "1", paramLabel = "STEP", description = "The step's id (drctl runbook show SCENARIO).")
        String step;
        @Option(names = "--note", paramLabel = "TEXT", description = "A note for the timeline.")
        String note;
        @Option(names = "--body", paramLabel = "JSON",
                description = "The step's whole body as JSON ({\"restore\":…}, {\"rollback\":…}, {\"components\":…}, "
                        + "{\"update\":…}), instead of the options below.")
        String body;
        @Mixin
        WaitOptions wait;

        @ArgGroup(exclusive = true, multiplicity = "0..1",
                heading = "%nRestore step (restore-database), which backup (one of):%n")
        BackupChoice backup;
        @ArgGroup(validate = false, heading = "%nRestore step, where:%n")
        RestoreStep restore;
        @ArgGroup(validate = false, heading = "%nRollback step (rollback-deployment):%n")
        RollbackStep rollback;
        @ArgGroup(validate = false, heading = "%nStatus page step (resume-operations):%n")
        ComponentsStep components;
        @ArgGroup(validate = false, heading = "%nUpdate step (notify-users, maintenance-message):%n")
        UpdateStep update;

        static class RestoreStep {
            @Option(names = {"-t", "--target"}, paramLabel = "NAME",
                    description = "The target whose backup to restore (default: the incident's affected target, if it has one).")
            String target;
            @Option(names = {"-d", "--destination"}, paramLabel = "NAME",
                    description = "The configured destination to restore into (needed for a restore).")
            String destination;
            @Option(names = "--mode", description = "new-database (default), in-place or drill (a game day: always drill).")
            String mode;
            @Option(names = "--in-place", description = "Replace the destination's database (same as --mode in-place).")
            boolean inPlace;
            @Option(names = "--confirm", paramLabel = "NAME", description = "With --in-place: the destination's database name.")
            String confirm;
        }

        static class RollbackStep {
            @Option(names = "--deployment", paramLabel = "NAMESPACE/NAME", description = "The Deployment to roll back.")
            String deployment;
            @Option(names = "--to-revision", paramLabel = "N",
                    description = "The revision to go back to (default: the one before the current).")
            Long toRevision;
            @Option(names = "--health-url", paramLabel = "URL", description = "Checked after the rollout (default: the configured one).")
            String healthUrl;
        }

        static class ComponentsStep {
            @Option(names = "--component", paramLabel = "ID=STATUS",
                    description = "A status-page component's new status (repeatable): operational, degraded_performance, "
                            + "partial_outage, major_outage or under_maintenance.")
            Map<String, String> statuses;
        }

        static class UpdateStep {
            @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "The update's text (users and the status page read it).")
            String message;
            @Option(names = "--status", description = "investigating, identified or monitoring (default: monitoring).")
            String status;
        }

        @Override
        protected int run() {
            ObjectNode request = request();
            JsonNode event = api.post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/steps/" + Api.segment(step), request);
            String link = Json.text(event, "link");
            boolean restores = link != null && link.startsWith(RestoreCommand.PATH + "/");
            Follow.Job job = restores ? RestoreCommand.JOB : RollbackCommand.JOB;
            if (link != null && !link.matches("(" + RestoreCommand.PATH + "|" + RollbackCommand.PATH + ")/[A-Za-z0-9-]+")) {
                // Only a job of recovery-service is followed: a link is never a URL drctl sends its token to.
                throw new Json.UnexpectedDocument("'link' is not a restore's or a rollback's").from(Service.RECOVERY);
            }
            if (link == null || !wait.wait) {
                output.object(Service.RECOVERY, event);
                if (link != null && output.forPeople()) {
                    output.writer().printf("%nFollow it: %s %s (or add --wait)%n", job.showCommand(),
                            Text.printable(link.substring(link.lastIndexOf('/') + 1)));
                    output.writer().flush();
                }
                return ExitCodes.OK;
            }
            if (output.forPeople()) {
                output.object(Service.RECOVERY, event);
                output.writer().println();
            }
            return started(api.get(Service.RECOVERY, link), wait, job, restores ? r -> RestoreCommand.rowCounts(output, r) : null);
        }

        /** The step's body: --body, or what the options of one kind of action say, and --note. */
        private ObjectNode request() {
            List<String> kinds = new ArrayList<>();
            if (backup != null || restore != null) {
                kinds.add("a restore");
            }
            if (rollback != null) {
                kinds.add("a rollback");
            }
            if (components != null) {
                kinds.add("components");
            }
            if (update != null) {
                kinds.add("an update");
            }
            if (kinds.size() > 1) {
                throw new IllegalArgumentException("The options of " + String.join(" and ", kinds)
                        + " are for different steps: give those of the step's action only.");
            }
            if (body != null && !kinds.isEmpty()) {
                throw new IllegalArgumentException("--body is the step's whole body: give it or the options of "
                        + kinds.get(0) + ", not both.");
            }
            if (wait.wait && (components != null || update != null)) {
                throw new IllegalArgumentException("--wait follows a restore or a rollback; setting components or "
                        + "posting an update is done when the step answers.");
            }
            wait.timeout();
            ObjectNode request;
            if (body != null) {
                JsonNode given;
                try {
                    given = Json.MAPPER.readTree(body);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new IllegalArgumentException("--body is not a JSON object: " + e.getOriginalMessage());
                }
                if (given == null || !given.isObject()) {
                    throw new IllegalArgumentException("--body is not a JSON object.");
                }
                request = (ObjectNode) given;
            } else {
                request = Json.object();
            }
            if (backup != null || restore != null) {
                request.set("restore", restoreRequest());
            } else if (rollback != null) {
                request.set("rollback", rollbackRequest());
            } else if (components != null) {
                ObjectNode c = request.putObject("components");
                components.statuses.forEach(c::put);
            } else if (update != null) {
                request.putObject("update").put("status", update.status == null ? "monitoring" : update.status)
                        .put("body", required(update.message, "-m/--message (the update's text)"));
            }
            putIfSet(request, "note", note);
            return request;
        }

        private ObjectNode restoreRequest() {
            RestoreStep where = restore != null ? restore : new RestoreStep();
            if (backup == null) {
                throw new IllegalArgumentException("A restore step needs --latest, --latest-before TIME or --backup ID.");
            }
            String destination = required(where.destination, "--destination (where the restore goes)");
            String target = where.target;
            if (target == null && backup.byTarget()) {
                target = affectedTarget();
            }
            return RestoreCommand.request(backup, target, destination, where.mode, where.inPlace, where.confirm);
        }

        /** The incident's one affected target, the default of a restore step's --target. */
        private String affectedTarget() {
            JsonNode targets = api.get(Service.RECOVERY, PATH + "/" + Api.segment(id)).path("affectedTargets");
            if (targets.size() != 1) {
                List<String> names = new ArrayList<>();
                targets.forEach(t -> names.add(Text.printable(t.asText())));
                throw new IllegalArgumentException("Give --target: the incident has " + (names.isEmpty()
                        ? "no affected target" : names.size() + " affected targets (" + String.join(", ", names) + ")") + ".");
            }
            return targets.get(0).asText();
        }

        private ObjectNode rollbackRequest() {
            String deployment = required(rollback.deployment, "--deployment NAMESPACE/NAME (the Deployment to roll back)");
            int slash = deployment.indexOf('/');
            if (slash <= 0 || slash == deployment.length() - 1 || deployment.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("--deployment is NAMESPACE/NAME (e.g. loopgpt/api), not '" + deployment + "'.");
            }
            ObjectNode r = Json.object().put("namespace", deployment.substring(0, slash))
                    .put("deployment", deployment.substring(slash + 1));
            if (rollback.toRevision != null) {
                r.put("toRevision", rollback.toRevision);
            }
            putIfSet(r, "healthUrl", rollback.healthUrl);
            return r;
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true, description = "The incident's timeline.",
            footer = {"%nExample:", "  drctl incident timeline 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Timeline extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            output.list(Service.RECOVERY, api.get(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/timeline"), List.of(
                    Column.time("AT", "at"), Column.of("KIND", "kind"), Column.of("STEP", "step"),
                    Column.of("ACTOR", "actor"), Column.of("OUTCOME", "outcome"), Column.of("NOTE", "note")));
            return ExitCodes.OK;
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
            output.object(Service.RECOVERY, api.post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/resolve", body));
            return ExitCodes.OK;
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
            output.object(Service.RECOVERY, api.post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/breach/notice", Json.object()
                    .put("audience", audience).put("dataConcerned", dataConcerned).put("actionsTaken", actionsTaken)
                    .put("userActions", userActions).put("contact", contact)));
            return ExitCodes.OK;
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
