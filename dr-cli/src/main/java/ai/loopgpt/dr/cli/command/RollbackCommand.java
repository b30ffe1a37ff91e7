package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", description = "Roll Kubernetes Deployments back and list their revisions (recovery-service).",
        subcommands = {RollbackCommand.Create.class, RollbackCommand.ListRollbacks.class, RollbackCommand.Show.class,
                RollbackCommand.Revisions.class},
        mixinStandardHelpOptions = true)
public class RollbackCommand {

    static final String PATH = "/api/v1/rollbacks";

    static final List<Column> COLUMNS = List.of(
            Column.of("ID", "id"), Column.of("NAMESPACE", "namespace"), Column.of("DEPLOYMENT", "deployment"),
            Column.of("FROM", "fromRevision"), Column.of("TO", "toRevision"), Column.of("PHASE", "phase"),
            Column.of("HEALTH", "healthStatus"), Column.time("STARTED", "startedAt"));

    static final Follow.Job JOB = new Follow.Job("rollback", Service.RECOVERY, PATH, "drctl rollback show",
            n -> n.hasNonNull("fromRevision") ? "revision " + Json.text(n, "fromRevision") + " -> " + Json.text(n, "toRevision")
                    : "to revision " + Json.text(n, "toRevision"),
            n -> null);

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Rolls a Deployment back like kubectl rollout undo [--to-revision], then checks its health URL.",
            footer = {"%nExamples:", "  drctl rollback create --namespace loopgpt --deployment api --wait",
                    "  drctl rollback create -n loopgpt --deployment api --to-revision 41 --health-url http://api.loopgpt/healthz -w"})
    static class Create extends ApiCommand {
        @Option(names = {"-n", "--namespace"}, required = true, description = "The Deployment's namespace.")
        String namespace;
        @Option(names = "--deployment", required = true, description = "The Deployment.")
        String deployment;
        @Option(names = "--to-revision", description = "The revision to go back to (default: the one before the current).")
        Long toRevision;
        @Option(names = "--health-url", description = "Checked after the rollout (default: the configured one).")
        String healthUrl;
        @Mixin
        WaitOptions wait;

        @Override
        protected int run() {
            ObjectNode body = Json.object().put("namespace", namespace).put("deployment", deployment);
            if (toRevision != null) {
                body.put("toRevision", toRevision);
            }
            putIfSet(body, "healthUrl", healthUrl);
            return start(JOB, body, wait, null);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists rollbacks, newest first.",
            footer = {"%nExample:", "  drctl rollback list"})
    static class ListRollbacks extends ApiCommand {
        @Mixin
        Paging paging;

        @Override
        protected int run() {
            return list(Service.RECOVERY, PATH, paging.query(), COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a rollback.",
            footer = {"%nExample:", "  drctl rollback show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60"})
    static class Show extends ShowCommand {
        Show() {
            super(Service.RECOVERY, PATH);
        }
    }

    @Command(name = "revisions", mixinStandardHelpOptions = true,
            description = "A Deployment's revisions, newest first, with images and change cause.",
            footer = {"%nExample:", "  drctl rollback revisions -n loopgpt api"})
    static class Revisions extends ApiCommand {
        @Option(names = {"-n", "--namespace"}, required = true, description = "The Deployment's namespace.")
        String namespace;
        @Parameters(paramLabel = "DEPLOYMENT")
        String deployment;

        @Override
        protected int run() {
            return list(Service.RECOVERY, "/api/v1/deployments/" + Api.segment(namespace) + "/"
                    + Api.segment(deployment) + "/revisions", null, List.of(
                    Column.of("REVISION", "revision"),
                    new Column("CURRENT", n -> n.path("current").asBoolean() ? "*" : ""),
                    Column.time("CREATED", "createdAt"),
                    Column.joined("IMAGES", "images"),
                    Column.of("CHANGE-CAUSE", "changeCause")));
        }
    }

}
