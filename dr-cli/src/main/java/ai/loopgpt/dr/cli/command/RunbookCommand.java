package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "runbook", description = "The plan's runbooks, one per scenario (recovery-service).",
        subcommands = {RunbookCommand.ListRunbooks.class, RunbookCommand.Show.class}, mixinStandardHelpOptions = true)
public class RunbookCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the scenarios' runbooks.",
            footer = {"%nExample:", "  drctl runbook list"})
    static class ListRunbooks extends ApiCommand {
        @Override
        protected int run() {
            return list(Service.RECOVERY, "/api/v1/runbooks", null, List.of(Column.of("SCENARIO", "scenario"),
                    Column.of("VERSION", "version"), new Column("STEPS", n -> Integer.toString(n.path("steps").size())),
                    Column.of("TITLE", "title")));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A scenario's steps, owners and actions.",
            footer = {"%nExample:", "  drctl runbook show database-failure"})
    static class Show extends ApiCommand {
        @Parameters(paramLabel = "SCENARIO")
        String scenario;

        @Override
        protected int run() {
            JsonNode runbook = api.get(Service.RECOVERY, "/api/v1/runbooks/" + Api.segment(scenario));
            if (!output.forPeople()) {
                output.raw(runbook);
                return ExitCodes.OK;
            }
            String title = Json.requireText(Service.RECOVERY, runbook, "title");
            String version = Json.requireText(Service.RECOVERY, runbook, "version");
            output.writer().println(Text.printable(title) + " (version " + Text.printable(version) + ")");
            output.writer().println();
            output.list(Service.RECOVERY, runbook.path("steps"), List.of(Column.required("STEP", "id"),
                    Column.of("OWNER", "owner"), Column.of("ACTION", "action"), Column.of("TITLE", "title")));
            return ExitCodes.OK;
        }
    }
}
