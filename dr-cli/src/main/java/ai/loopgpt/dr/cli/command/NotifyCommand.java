package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "notify", description = "Send messages from templates and preview them (notification-service).",
        subcommands = {NotifyCommand.Send.class, NotifyCommand.Preview.class, NotifyCommand.Templates.class},
        mixinStandardHelpOptions = true)
public class NotifyCommand {

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Sends a template to an audience on the given channels; sending the same --key again sends nothing twice.",
            footer = {"%nExample:", "  drctl notify send incident-notification --audience users --channel email \\",
                    "      --var title='Orders delayed' --var status=investigating --key orders-2026-11-28"})
    static class Send extends ApiCommand {
        @Parameters(paramLabel = "TEMPLATE", description = "drctl notify templates lists them.")
        String template;
        @Option(names = "--audience", required = true, description = "A configured audience (notify.audiences).")
        String audience;
        @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "email, slack or webhook (repeatable).")
        List<String> channels;
        @Option(names = "--component", paramLabel = "ID", description = "Only subscribers of these components (repeatable).")
        List<String> components;
        @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A template variable (repeatable).")
        Map<String, String> variables;
        @Option(names = "--key", description = "Idempotency key (default: a new random one).")
        String key;

        @Override
        protected int run() {
            ObjectNode body = Json.object().put("template", template).put("audience", audience)
                    .put("idempotencyKey", key != null ? key : "drctl-" + UUID.randomUUID());
            channels.forEach(body.putArray("channels")::add);
            if (components != null) {
                components.forEach(body.putArray("components")::add);
            }
            ObjectNode vars = body.putObject("variables");
            if (variables != null) {
                variables.forEach(vars::put);
            }
            JsonNode sent = api.post(Service.NOTIFICATION, "/api/v1/notifications", body);
            output.object(Service.NOTIFICATION, sent);
            return ExitCodes.OK;
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = "Renders a template (subject, text, HTML, Slack) without sending it.",
            footer = {"%nExample:", "  drctl notify preview incident-notification --var title='Orders delayed' --var status=investigating"})
    static class Preview extends ApiCommand {
        @Parameters(paramLabel = "TEMPLATE")
        String template;
        @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A template variable (repeatable).")
        Map<String, String> variables;

        @Override
        protected int run() {
            ObjectNode body = Json.object();
            ObjectNode vars = body.putObject("variables");
            if (variables != null) {
                variables.forEach(vars::put);
            }
            JsonNode rendered = api.post(Service.NOTIFICATION, "/api/v1/templates/" + Api.segment(template) + "/preview", body);
            if (output.forPeople()) {
                String subject = Json.requireText(Service.NOTIFICATION, rendered, "subject");
                String text = Json.requireText(Service.NOTIFICATION, rendered, "text");
                output.writer().println("Subject: " + ai.loopgpt.dr.cli.Text.printable(subject));
                output.writer().println();
                output.writer().println(ai.loopgpt.dr.cli.Text.printableLines(text));
                output.writer().flush();
            } else {
                output.raw(rendered);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "templates", mixinStandardHelpOptions = true, description = "Lists the templates and their variables.",
            footer = {"%nExample:", "  drctl notify templates"})
    static class Templates extends ApiCommand {
        @Override
        protected int run() {
            return list(Service.NOTIFICATION, "/api/v1/templates", null, List.of(Column.of("NAME", "name"),
                    Column.joined("VARIABLES", "variables"), Column.of("DESCRIPTION", "description")));
        }
    }
}
