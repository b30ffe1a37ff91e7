package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drctl incident postmortem}: a resolved incident's post-mortem report, action items, completion. */
@Command(name = "postmortem",
        description = "A resolved incident's post-mortem: the Markdown report, its action items, its completion (recovery-service).",
        subcommands = {PostmortemCommand.Show.class, PostmortemCommand.Action.class, PostmortemCommand.Complete.class},
        mixinStandardHelpOptions = true)
public class PostmortemCommand {

    static String path(String incidentId) {
        return IncidentCommand.PATH + "/" + Api.segment(incidentId) + "/postmortem";
    }

    static final List<Column> ACTION_COLUMNS = List.of(
            Column.of("ID", "id"), Column.of("STATE", "state"), Column.of("DUE", "dueDate"), Column.of("OWNER", "owner"),
            Column.time("DONE", "doneAt"), Column.of("DESCRIPTION", "description"));

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The post-mortem report as Markdown: objectives met, timeline, the plan's agenda, action items.",
            footer = {"%nExamples:", "  drctl incident postmortem show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60",
                    "  drctl incident postmortem show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 > postmortem.md"})
    static class Show extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The incident's id.")
        String id;

        @Override
        protected int run() {
            output.writer().print(api.getText(Service.RECOVERY, path(id), null, "text/markdown"));
            output.writer().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "action", description = "The post-mortem's action items: add, list, mark done.",
            subcommands = {Action.Add.class, Action.ListActions.class, Action.Done.class}, mixinStandardHelpOptions = true)
    static class Action {

        @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds an action item with its owner and due date.",
                footer = {"%nExample:", "  drctl incident postmortem action add 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 \\",
                        "      --description 'Add a replica in a second zone' --owner alice --due 2026-12-20"})
        static class Add extends ApiCommand {
            @Parameters(paramLabel = "ID", description = "The incident's id.")
            String id;
            @Option(names = "--description", required = true, paramLabel = "TEXT", description = "What is to be done.")
            String description;
            @Option(names = "--owner", required = true, paramLabel = "PERSON", description = "Who does it.")
            String owner;
            @Option(names = "--due", required = true, paramLabel = "DATE", description = "By when (YYYY-MM-DD).")
            String due;

            @Override
            protected int run() {
                try {
                    LocalDate.parse(due);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--due '" + due + "' is not a date: use YYYY-MM-DD (2026-12-20).");
                }
                return post(Service.RECOVERY, path(id) + "/actions", Json.object()
                        .put("description", description).put("owner", owner).put("dueDate", due));
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true,
                description = "Lists the action items with their state: open, overdue or done.",
                footer = {"%nExample:", "  drctl incident postmortem action list 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
        static class ListActions extends ApiCommand {
            @Parameters(paramLabel = "ID", description = "The incident's id.")
            String id;

            @Override
            protected int run() {
                return list(Service.RECOVERY, path(id) + "/actions", null, ACTION_COLUMNS);
            }
        }

        @Command(name = "done", mixinStandardHelpOptions = true, description = "Marks an action item done.",
                footer = {"%nExample:", "  drctl incident postmortem action done 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 \\",
                        "      7c9e6679-7425-40de-944b-e07fc1f90ae7 --note 'replica running in eu-west-1b'"})
        static class Done extends ApiCommand {
            @Parameters(index = "0", paramLabel = "ID", description = "The incident's id.")
            String id;
            @Parameters(index = "1", paramLabel = "ACTION_ID", description = "The action item's id (action list shows them).")
            String actionId;
            @Option(names = "--note", paramLabel = "TEXT", description = "How it was done.")
            String note;

            @Override
            protected int run() {
                ObjectNode body = Json.object();
                putIfSet(body, "note", note);
                return post(Service.RECOVERY, path(id) + "/actions/" + Api.segment(actionId) + "/done", body);
            }
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = "Completes the post-mortem with the meeting's conclusions.",
            footer = {"%nExample:", "  drctl incident postmortem complete 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 \\",
                    "      --summary 'A disk failure took the primary; the restore met the RTO. Three actions agreed.'"})
    static class Complete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The incident's id.")
        String id;
        @Option(names = "--summary", required = true, paramLabel = "TEXT", description = "The meeting's conclusions.")
        String summary;

        @Override
        protected int run() {
            return post(Service.RECOVERY, path(id) + "/complete", Json.object().put("summary", summary));
        }
    }
}
