package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
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
                IncidentCommand.Update.class, IncidentCommand.Step.class, IncidentCommand.Timeline.class,
                IncidentCommand.Resolve.class},
        mixinStandardHelpOptions = true)
public class IncidentCommand {

    static final String PATH = "/api/v1/incidents";

    static final List<Column> COLUMNS = List.of(
            Column.of("ID", "id"), Column.of("SCENARIO", "scenario"), Column.of("SEVERITY", "severity"),
            Column.of("STATUS", "status"), Column.time("STARTED", "startedAt"), Column.time("RESOLVED", "resolvedAt"),
            new Column("DRILL", n -> n.path("drill").asBoolean() ? "yes" : ""), Column.of("TITLE", "title"));

    @Command(name = "declare", mixinStandardHelpOptions = true,
            description = "Declares an incident: opens the public incident, mails users and the team, starts its runbook.",
            footer = {"%nExample:", "  drctl incident declare --title 'Orders database down' --scenario database-failure \\",
                    "      --severity MAJOR --component orders --target loopgpt --role incident-commander=alice"})
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
        @Option(names = "--role", paramLabel = "ROLE=PERSON", description = "Who holds a plan role (repeatable).")
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
                roles.forEach(r::put);
            }
            Instant now = Instant.now();
            putIfSet(body, "startedAt", startedAt == null ? null : Text.parseTime(startedAt, now).toString());
            putIfSet(body, "awareAt", awareAt == null ? null : Text.parseTime(awareAt, now).toString());
            putIfSet(body, "provider", provider);
            if (drill) {
                body.put("drill", true);
            }
            output.object(api.post(Service.RECOVERY, PATH, body));
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
            output.list(api.get(Service.RECOVERY, PATH, Api.query("status", status, "page", paging.page,
                    "size", paging.size)), COLUMNS);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows an incident: roles, objectives (RTO, RPO), publication, breach clock.",
            footer = {"%nExample:", "  drctl incident show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Show extends ShowCommand {
        Show() {
            super(Service.RECOVERY, PATH);
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
            output.object(api.post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/updates",
                    Json.object().put("status", status).put("body", message)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "step", mixinStandardHelpOptions = true,
            description = "Does a step of the incident's runbook (drctl runbook show SCENARIO lists them): ticks "
                    + "a checklist item, or runs its action with a JSON body.",
            footer = {"%nExamples:", "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 assess --note 'primary is gone'",
                    "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 restore-database \\",
                    "      --body '{\"restore\":{\"target\":\"loopgpt\",\"latestBefore\":\"2026-11-28T08:00:00Z\",\"destination\":\"loopgpt\"}}'"})
    static class Step extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Parameters(index = "1", paramLabel = "STEP")
        String step;
        @Option(names = "--note")
        String note;
        @Option(names = "--body", paramLabel = "JSON", description = "The step's whole body (restore, rollback, update, components).")
        String body;

        @Override
        protected int run() {
            ObjectNode request;
            try {
                request = body == null ? Json.object() : (ObjectNode) Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new IllegalArgumentException("--body is not a JSON object: " + e.getMessage());
            }
            putIfSet(request, "note", note);
            output.object(api.post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/steps/" + Api.segment(step), request));
            return ExitCodes.OK;
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true, description = "The incident's timeline.",
            footer = {"%nExample:", "  drctl incident timeline 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Timeline extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            output.list(api.get(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/timeline"), List.of(
                    Column.time("AT", "at"), Column.of("KIND", "kind"), Column.of("STEP", "step"),
                    Column.of("ACTOR", "actor"), Column.of("OUTCOME", "outcome"), Column.of("NOTE", "note")));
            return ExitCodes.OK;
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
            output.object(api.post(Service.RECOVERY, PATH + "/" + Api.segment(id) + "/resolve", body));
            return ExitCodes.OK;
        }
    }
}
