package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Each service's append-only audit log of mutating calls.",
        subcommands = AuditCommand.ListAudit.class, mixinStandardHelpOptions = true)
public class AuditCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists a service's audit records, newest first.",
            footer = {"%nExamples:", "  drctl audit list --service recovery --since 24h",
                    "  drctl audit list --service backup --outcome DENIED --actor local-operator"})
    static class ListAudit extends ApiCommand {
        @Option(names = {"-s", "--service"}, defaultValue = "backup",
                description = "backup (default), recovery, notification or status.")
        String service;
        @Option(names = "--actor")
        String actor;
        @Option(names = "--action", description = "e.g. POST /api/v1/backups")
        String action;
        @Option(names = "--target", description = "What was acted on.")
        String target;
        @Option(names = "--outcome", description = "SUCCEEDED, DENIED, REJECTED or FAILED.")
        String outcome;
        @Option(names = "--since", description = "ISO time, or a duration ago (24h).")
        String since;
        @Option(names = "--until", description = "ISO time, or a duration ago.")
        String until;
        @Mixin
        Paging paging;

        @Override
        protected int run() {
            Instant now = Instant.now();
            Service from = Service.named(service);
            return list(from, "/api/v1/audit", paging.query("actor", actor, "action", action, "target", target,
                    "outcome", outcome, "since", Text.parseTime(since, now), "until", Text.parseTime(until, now)), List.of(
                    Column.time("AT", "occurredAt"), Column.of("ACTOR", "actor"), Column.of("ROLE", "role"),
                    Column.of("ACTION", "action"), Column.of("TARGET", "target"), Column.of("OUTCOME", "outcome"),
                    Column.of("HTTP", "status"), Column.of("REQUEST", "requestId")));
        }
    }
}
