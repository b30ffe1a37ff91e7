package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", description = "Restore backups into a database and follow restores (recovery-service).",
        subcommands = {RestoreCommand.Create.class, RestoreCommand.ListRestores.class, RestoreCommand.Show.class},
        mixinStandardHelpOptions = true)
public class RestoreCommand {

    static final String PATH = "/api/v1/restores";

    static final List<Column> COLUMNS = List.of(
            Column.required("ID", "id"), Column.of("TARGET", "target"), Column.required("DESTINATION", "destination"),
            Column.of("MODE", "mode"), Column.required("PHASE", "phase"), Column.of("STEP", "step"),
            Column.time("STARTED", "startedAt"),
            new Column("DURATION", n -> Json.number(n, "durationMillis") != null
                    ? Text.duration(java.time.Duration.ofMillis(Json.number(n, "durationMillis"))) : null),
            Column.of("DATABASE", "restoredDatabase"));

    static final Follow.Job JOB = new Follow.Job("restore", Service.RECOVERY, PATH, "drctl restore show",
            n -> {
                JsonNode p = n.path("progress");
                StringBuilder s = new StringBuilder();
                if (p.path("bytesRead").asLong() > 0) {
                    s.append(Text.bytes(p.path("bytesRead").asLong()));
                    if (p.hasNonNull("bytesTotal")) {
                        s.append(" of ").append(Text.bytes(p.get("bytesTotal").asLong()));
                    }
                }
                if (p.path("tablesRestored").asInt() > 0) {
                    s.append(s.isEmpty() ? "" : ", ").append(p.path("tablesRestored").asInt()).append(" tables restored");
                }
                if (p.path("tablesVerified").asInt() > 0) {
                    s.append(s.isEmpty() ? "" : ", ").append(p.path("tablesVerified").asInt()).append(" verified");
                }
                return s.toString();
            },
            n -> {
                JsonNode p = n.path("progress");
                return p.hasNonNull("bytesTotal") && p.get("bytesTotal").asLong() > 0
                        ? (double) p.path("bytesRead").asLong() / p.get("bytesTotal").asLong() : null;
            });

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Restores a backup: into a new database beside the destination (default), in place after a "
                    + "safety backup (dr-admin, --in-place --confirm NAME), or as a drill into a scratch destination.",
            footer = {"%nExamples:",
                    "  drctl restore create --target loopgpt --latest --destination loopgpt --wait",
                    "  drctl restore create --target loopgpt --latest-before 2026-11-28T08:00:00Z --destination loopgpt --wait",
                    "  drctl restore create --target loopgpt --to-time 2026-12-06T05:47:13Z --destination loopgpt --wait",
                    "  drctl restore create --backup 0b6a6c36-3b5e-4a53-9d8e-2f0d7f1c9a10 --destination loopgpt -w",
                    "  drctl restore create --target loopgpt --latest --destination loopgpt --in-place --confirm loopgpt -w"})
    static class Create extends ApiCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        BackupChoice backup;
        @Option(names = {"-t", "--target"}, description = "With --latest, --latest-before or --to-time: the target to restore.")
        String target;
        @Option(names = {"-d", "--destination"}, required = true,
                description = "The configured destination (recovery.destinations) to restore into.")
        String destination;
        @Option(names = "--mode", description = "new-database (default), in-place or drill.")
        String mode;
        @Option(names = "--in-place", description = "Replace the destination's database (same as --mode in-place).")
        boolean inPlace;
        @Option(names = "--confirm", paramLabel = "NAME",
                description = "With --in-place: the destination's database name, typed again.")
        String confirm;
        @Mixin
        WaitOptions wait;

        @Override
        protected int run() {
            ObjectNode body = request(backup, target, destination, mode, inPlace, confirm);
            return start(JOB, body, wait, restore -> rowCounts(output, restore));
        }
    }

    /**
     * The body of POST /api/v1/restores (and of a restore step's {@code restore}), checked: a backup
     * by target needs the target, --in-place agrees with --mode.
     */
    static ObjectNode request(BackupChoice backup, String target, String destination, String mode, boolean inPlace,
            String confirm) {
        if (backup.byTarget() && target == null) {
            throw new IllegalArgumentException(backup.byTargetOption() + " needs --target.");
        }
        if (inPlace && mode != null && !"in-place".equals(mode)) {
            throw new IllegalArgumentException("--in-place contradicts --mode " + mode + ".");
        }
        ObjectNode body = Json.object();
        backup.putInto(body, Instant.now());
        ApiCommand.putIfSet(body, "target", target);
        body.put("destination", destination);
        ApiCommand.putIfSet(body, "mode", inPlace ? "in-place" : mode);
        ApiCommand.putIfSet(body, "confirm", confirm);
        return body;
    }

    /** The row counts verified in the restored copy, one line per table. */
    static void rowCounts(Output output, JsonNode restore) {
        List<String[]> rows = new ArrayList<>();
        restore.path("tableRows").fields().forEachRemaining(e ->
                rows.add(new String[] {Text.printable(e.getKey()), Long.toString(e.getValue().asLong())}));
        if (rows.isEmpty()) {
            return;
        }
        JsonNode toTime = restore.path("toTime");
        output.writer().printf("%nRows verified against the %s manifest%s:%n", toTime.isObject() ? "base backup's" : "backup's",
                restore.hasNonNull("restoredDatabase") ? " in " + Text.printable(Json.text(restore, "restoredDatabase")) : "");
        output.table(List.of("TABLE", "ROWS"), rows);
        if (toTime.hasNonNull("transactionsApplied")) {
            output.writer().printf("%nThen replayed: %d transactions from %d change segments, up to %s.%n",
                    toTime.get("transactionsApplied").asLong(), toTime.path("segmentsApplied").asInt(),
                    toTime.hasNonNull("reachedCommitTime")
                            ? "the one committed at " + Text.printable(Json.text(toTime, "reachedCommitTime")) + " (LSN "
                                    + Text.printable(Json.text(toTime, "reachedLsn")) + ")"
                            : "the base (nothing was committed between it and " + Text.printable(Json.text(toTime, "requested")) + ")");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists restores, newest first.",
            footer = {"%nExample:", "  drctl restore list --destination loopgpt"})
    static class ListRestores extends ApiCommand {
        @Option(names = {"-d", "--destination"}, description = "Only into this destination.")
        String destination;
        @Mixin
        Paging paging;

        @Override
        protected int run() {
            return list(Service.RECOVERY, PATH, paging.query("destination", destination), COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a restore: phase, step, progress, data-loss window, verified row counts, outcome.",
            footer = {"%nExample:", "  drctl restore show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Show extends ShowCommand {
        Show() {
            super(Service.RECOVERY, PATH, "id", "destination", "phase");
        }
    }
}
