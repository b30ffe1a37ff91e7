package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "The public status page: components and incidents (status-service).",
        subcommands = {StatusCommand.Components.class, StatusCommand.Set.class, StatusCommand.Incident.class},
        mixinStandardHelpOptions = true)
public class StatusCommand {

    @Command(name = "components", mixinStandardHelpOptions = true, description = "Lists the components and their status.",
            footer = {"%nExample:", "  drctl status components"})
    static class Components extends ApiCommand {
        @Override
        protected int run() {
            return list(Service.STATUS, "/api/v1/components", null, List.of(
                    Column.of("ID", "id"), Column.of("NAME", "name"), Column.of("GROUP", "group"),
                    Column.of("STATUS", "status"), new Column("SHOWN", n -> n.path("shown").asBoolean() ? "yes" : "no"),
                    Column.time("UPDATED", "updatedAt")));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Sets a component's status.",
            footer = {"%nExample:", "  drctl status set api degraded_performance"})
    static class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "COMPONENT")
        String component;
        @Parameters(index = "1", paramLabel = "STATUS",
                description = "operational, degraded_performance, partial_outage, major_outage or under_maintenance.")
        String status;

        @Override
        protected int run() {
            output.object(Service.STATUS, api.put(Service.STATUS, "/api/v1/components/" + Api.segment(component) + "/status",
                    Json.object().put("status", status)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "incident", mixinStandardHelpOptions = true,
            description = "The status page's incidents: list (no arguments), show ID, open a new one, or post an update.",
            footer = {"%nExamples:", "  drctl status incident                     # the recent ones",
                    "  drctl status incident 3j1sdh4g7fk2",
                    "  drctl status incident --open 'Slow answers' --status investigating --impact minor \\",
                    "      --message 'We are looking into slow answers.' --component api=degraded_performance",
                    "  drctl status incident 3j1sdh4g7fk2 --status resolved --message 'Fixed.' --component api=operational"})
    static class Incident extends ApiCommand {
        @Parameters(arity = "0..1", paramLabel = "ID")
        String id;
        @Option(names = "--open", paramLabel = "NAME", description = "Opens a new incident with this name.")
        String open;
        @Option(names = "--status", description = "investigating, identified, monitoring or resolved.")
        String status;
        @Option(names = "--impact", description = "With --open: none, minor, major or critical.")
        String impact;
        @Option(names = {"-m", "--message"}, description = "The update's text.")
        String message;
        @Option(names = "--component", paramLabel = "ID=STATUS", description = "A component's new status (repeatable).")
        Map<String, String> components;

        @Override
        protected int run() {
            if (open == null && status == null && message == null) {
                if (id == null) {
                    return list(Service.STATUS, "/api/v1/incidents", null, List.of(
                            Column.of("ID", "id"), Column.of("KIND", "kind"), Column.of("STATUS", "status"),
                            Column.of("IMPACT", "impact"), Column.time("STARTED", "startedAt"),
                            Column.time("RESOLVED", "resolvedAt"), Column.of("NAME", "name")));
                }
                output.object(Service.STATUS, api.get(Service.STATUS, "/api/v1/incidents/" + Api.segment(id)));
                return ExitCodes.OK;
            }
            ObjectNode body = Json.object().put("status", required(status, "--status"))
                    .put("body", required(message, "--message"));
            if (components != null) {
                ObjectNode c = body.putObject("components");
                components.forEach(c::put);
            }
            if (open != null) {
                if (id != null) {
                    throw new IllegalArgumentException("--open makes a new incident: leave out the ID.");
                }
                body.put("name", open).put("impact", required(impact, "--impact"));
                return post(Service.STATUS, "/api/v1/incidents", body);
            }
            return post(Service.STATUS, "/api/v1/incidents/" + Api.segment(required(id, "the incident ID")) + "/updates", body);
        }
    }
}
