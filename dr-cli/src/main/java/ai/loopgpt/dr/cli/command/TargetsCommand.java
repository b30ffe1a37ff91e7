package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "targets", description = "The databases backup-service protects: list them, check one.",
        subcommands = {TargetsCommand.ListTargets.class, TargetsCommand.Check.class}, mixinStandardHelpOptions = true)
public class TargetsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the targets with their last good backup, whether their changes stream to the bucket, what "
                    + "a failure now would lose (AGE: since the last good backup, or since the last change streamed) "
                    + "against their RPO, and the last check.",
            footer = {"%nExample:", "  drctl targets list"})
    static class ListTargets extends ApiCommand {
        @Override
        protected int run() {
            return list(Service.BACKUP, "/api/v1/targets", null, List.of(
                    Column.required("NAME", "name"),
                    new Column("DATABASE", n -> Json.requireText(n, "user") + "@" + Json.requireText(n, "host") + ":"
                            + Json.requireNumber(n, "port") + "/" + Json.requireText(n, "database")),
                    Column.time("LAST BACKUP", "lastBackup.startedAt"),
                    new Column("STREAM", n -> n.path("streamed").asBoolean() ? "yes" : "no"),
                    new Column("AGE", n -> Json.number(n, "rpoAgeSeconds") != null
                            ? Text.duration(java.time.Duration.ofSeconds(Json.number(n, "rpoAgeSeconds"))) : null),
                    new Column("RPO", n -> n.path("rpoBreached").asBoolean() ? "BREACHED" : "ok"),
                    new Column("CHECK", TargetsCommand::check)));
        }
    }

    static String check(JsonNode target) {
        JsonNode c = target.path("lastCheck");
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        return c.path("reachable").asBoolean() && c.path("dumpable").asBoolean() ? "ok" : "FAILED";
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Checks a target now: reachable, dumpable by the installed pg_dump, its size. Exits 2 if not.",
            footer = {"%nExample:", "  drctl targets check loopgpt"})
    static class Check extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--check-timeout", paramLabel = "SECONDS", description = "How long the check may take (1-120 s).")
        Integer timeoutSeconds;

        @Override
        protected int run() {
            ObjectNode body = Json.object();
            if (timeoutSeconds != null) {
                body.put("timeoutSeconds", timeoutSeconds);
            }
            JsonNode result = api.post(Service.BACKUP, "/api/v1/targets/" + Api.segment(name) + "/checks", body);
            output.object(Service.BACKUP, result, "reachable", "dumpable");
            boolean ok = result.path("reachable").asBoolean() && result.path("dumpable").asBoolean();
            if (!ok) {
                err.println("Error: target " + Text.printable(name) + " failed its check"
                        + (Json.text(result, "problem") == null ? "" : ": " + Text.printable(Json.text(result, "problem"))));
                err.flush();
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
