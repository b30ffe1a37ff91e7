package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "drill", description = "Run integrity and restore drills, list them, print the drill report (backup-service); "
        + "run the quarterly game day (recovery-service).",
        subcommands = {DrillCommand.Run.class, DrillCommand.ListDrills.class, DrillCommand.Show.class,
                DrillCommand.Report.class, GameDayCommand.class},
        mixinStandardHelpOptions = true)
public class DrillCommand {

    static final String PATH = "/api/v1/drills";

    static final Follow.Job JOB = new Follow.Job("drill", Service.BACKUP, PATH, "drctl drill show",
            n -> n.hasNonNull("restoreId") ? "restore " + Json.text(n, "restoreId") : null, n -> null);

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs a drill now: integrity (re-read, checksum, decompress the backup) or restore (into a "
                    + "scratch destination, verified, then dropped).",
            footer = {"%nExamples:", "  drctl drill run --type integrity --target loopgpt --wait",
                    "  drctl drill run --type restore --target loopgpt --wait --wait-timeout 2h"})
    static class Run extends ApiCommand {
        @Option(names = "--type", required = true, description = "integrity or restore.")
        String type;
        @Option(names = {"-t", "--target"}, required = true, description = "The target whose backup is drilled.")
        String target;
        @Option(names = "--backup", paramLabel = "ID", description = "The backup (default: the target's newest good one).")
        String backupId;
        @Mixin
        WaitOptions wait;

        @Override
        protected int run() {
            ObjectNode body = Json.object().put("type", type).put("target", target);
            putIfSet(body, "backupId", backupId);
            return start(JOB, body, wait, null);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists drills, newest first.",
            footer = {"%nExample:", "  drctl drill list --target loopgpt --type restore"})
    static class ListDrills extends ApiCommand {
        @Option(names = {"-t", "--target"}, description = "Only this target's.")
        String target;
        @Option(names = "--type", description = "integrity or restore.")
        String type;
        @Option(names = "--since", description = "Only since (ISO time, or a duration ago: 90d).")
        String since;
        @Mixin
        Paging paging;

        @Override
        protected int run() {
            return list(Service.BACKUP, PATH, paging.query("target", target, "type", type,
                    "since", Text.parseTime(since, Instant.now())), List.of(
                    Column.of("ID", "id"), Column.of("TYPE", "type"), Column.of("TARGET", "target"),
                    Column.of("PHASE", "phase"), Column.time("STARTED", "startedAt"),
                    new Column("RTO", n -> n.hasNonNull("rtoSeconds")
                            ? Text.duration(java.time.Duration.ofSeconds(n.get("rtoSeconds").asLong())) : null),
                    Column.of("BACKUP", "backupId"), Column.of("FAILURE", "failureReason")));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a drill: phase, evidence, failure.",
            footer = {"%nExample:", "  drctl drill show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Show extends ShowCommand {
        Show() {
            super(Service.BACKUP, PATH);
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "The drill history as Markdown: per target, restore drills (RTO samples) and verifications.",
            footer = {"%nExample:", "  drctl drill report --since 90d > drills.md"})
    static class Report extends ApiCommand {
        @Option(names = "--since", description = "Only since (ISO time, or a duration ago: 90d).")
        String since;

        @Override
        protected int run() {
            output.writer().print(api.getText(Service.BACKUP, PATH + "/report",
                    Api.query("since", Text.parseTime(since, Instant.now())), "text/markdown"));
            output.writer().flush();
            return ExitCodes.OK;
        }
    }
}
