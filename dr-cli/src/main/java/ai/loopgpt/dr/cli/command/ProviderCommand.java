package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "provider",
        description = "The order providers: which are down (an open provider-outage incident) and the orders queued for "
                + "them meanwhile (recovery-service).",
        subcommands = {ProviderCommand.ListProviders.class, ProviderCommand.Queue.class, ProviderCommand.Processed.class},
        mixinStandardHelpOptions = true)
public class ProviderCommand {

    static final String PATH = "/api/v1/providers";

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the providers by priority: down or not, the incident that has them down, work queued.",
            footer = {"%nExample:", "  drctl provider list"})
    static class ListProviders extends ApiCommand {
        @Override
        protected int run() {
            return list(Service.RECOVERY, PATH, null, List.of(
                    Column.of("NAME", "name"), Column.of("PRIORITY", "priority"), Column.of("COMPONENT", "component"),
                    new Column("DOWN", n -> n.path("down").asBoolean() ? "DOWN" : "up"),
                    Column.of("INCIDENT", "incidentId"), Column.of("QUEUED", "queuedItems")));
        }
    }

    @Command(name = "queue", mixinStandardHelpOptions = true,
            description = "Records orders the product queued for a provider that is down (the runbook's queue-orders).",
            footer = {"%nExample:", "  drctl provider queue instacart --orders 120 --note 'queued by the checkout while all providers were down'"})
    static class Queue extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The provider (drctl provider list).")
        String name;
        @Option(names = {"--orders", "--items"}, required = true, paramLabel = "N", description = "How many orders were queued (1-1000000).")
        int items;
        @Option(names = "--note", paramLabel = "TEXT", description = "What was queued, from where.")
        String note;

        @Override
        protected int run() {
            ObjectNode body = Json.object().put("items", items);
            putIfSet(body, "note", note);
            return post(Service.RECOVERY, PATH + "/" + Api.segment(name) + "/queue", body);
        }
    }

    @Command(name = "processed", mixinStandardHelpOptions = true,
            description = "Marks the orders queued for a provider processed, once it is back (the runbook's process-queued-orders).",
            footer = {"%nExample:", "  drctl provider processed instacart"})
    static class Processed extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The provider.")
        String name;

        @Override
        protected int run() {
            output.object(Service.RECOVERY, api.delete(Service.RECOVERY, PATH + "/" + Api.segment(name) + "/queue", null));
            return ExitCodes.OK;
        }
    }
}
