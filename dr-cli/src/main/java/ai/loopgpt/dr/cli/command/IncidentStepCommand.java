package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drctl incident step}: does a step of an incident's runbook, building the body of its action
 * (a restore, a rollback, components, an update) from its options, and follows a job it started.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = {"Does a step of the incident's runbook (drctl runbook show SCENARIO lists them): ticks a "
                + "checklist item, or runs its action: a restore (restore-database), a rollback (rollback-deployment), "
                + "components set on the status page (resume-operations) or an update posted (notify-users, "
                + "maintenance-message). The action's options below build its body; --body gives it whole as JSON.",
                "With --wait, a restore or rollback the step started is followed to its end (exit 0 only if it SUCCEEDED)."},
        footer = {"%nExamples:",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 check-database-status --note 'the primary is gone'",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 restore-database --latest --destination loopgpt --wait",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 restore-database --target loopgpt \\",
                "      --latest-before 2026-11-28T08:00:00Z --destination loopgpt --wait",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 rollback-deployment --deployment loopgpt/api \\",
                "      --to-revision 41 --wait",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 resume-operations --component orders=operational \\",
                "      --component api=operational",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 notify-users -m 'Orders work again; no data was lost.'",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 maintenance-message --status identified \\",
                "      -m 'Orders are queued and will be placed once our providers are back.'",
                "  drctl incident step 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 restore-database \\",
                "      --body '{\"restore\":{\"target\":\"loopgpt\",\"latest\":true,\"destination\":\"loopgpt\"}}'"})
class IncidentStepCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;
    @Parameters(index = "1", paramLabel = "STEP", description = "The step's id (drctl runbook show SCENARIO).")
    String step;
    @Option(names = "--note", paramLabel = "TEXT", description = "A note for the timeline.")
    String note;
    @Option(names = "--body", paramLabel = "JSON",
            description = "The step's whole body as JSON ({\"restore\":…}, {\"rollback\":…}, {\"components\":…}, "
                    + "{\"update\":…}), instead of the options below.")
    String body;
    @Mixin
    WaitOptions wait;

    @ArgGroup(exclusive = true, multiplicity = "0..1",
            heading = "%nRestore step (restore-database), which backup (one of):%n")
    BackupChoice backup;
    @ArgGroup(validate = false, heading = "%nRestore step, where:%n")
    RestoreStep restore;
    @ArgGroup(validate = false, heading = "%nRollback step (rollback-deployment):%n")
    RollbackStep rollback;
    @ArgGroup(validate = false, heading = "%nStatus page step (resume-operations):%n")
    ComponentsStep components;
    @ArgGroup(validate = false, heading = "%nUpdate step (notify-users, maintenance-message):%n")
    UpdateStep update;

    static class RestoreStep {
        @Option(names = {"-t", "--target"}, paramLabel = "NAME",
                description = "The target whose backup to restore (default: the incident's affected target, if it has one).")
        String target;
        @Option(names = {"-d", "--destination"}, paramLabel = "NAME",
                description = "The configured destination to restore into (needed for a restore).")
        String destination;
        @Option(names = "--mode", description = "new-database (default), in-place or drill (a game day: always drill).")
        String mode;
        @Option(names = "--in-place", description = "Replace the destination's database (same as --mode in-place).")
        boolean inPlace;
        @Option(names = "--confirm", paramLabel = "NAME", description = "With --in-place: the destination's database name.")
        String confirm;
    }

    static class RollbackStep {
        @Option(names = "--deployment", paramLabel = "NAMESPACE/NAME", description = "The Deployment to roll back.")
        String deployment;
        @Option(names = "--to-revision", paramLabel = "N",
                description = "The revision to go back to (default: the one before the current).")
        Long toRevision;
        @Option(names = "--health-url", paramLabel = "URL", description = "Checked after the rollout (default: the configured one).")
        String healthUrl;
    }

    static class ComponentsStep {
        @Option(names = "--component", paramLabel = "ID=STATUS",
                description = "A status-page component's new status (repeatable): operational, degraded_performance, "
                        + "partial_outage, major_outage or under_maintenance.")
        Map<String, String> statuses;
    }

    static class UpdateStep {
        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "The update's text (users and the status page read it).")
        String message;
        @Option(names = "--status", description = "investigating, identified or monitoring (default: monitoring).")
        String status;
    }

    @Override
    protected int run() {
        ObjectNode request = request();
        JsonNode event = api.post(Service.RECOVERY, IncidentCommand.PATH + "/" + Api.segment(id) + "/steps/" + Api.segment(step), request);
        String link = Json.text(event, "link");
        boolean restores = link != null && link.startsWith(RestoreCommand.PATH + "/");
        Follow.Job job = restores ? RestoreCommand.JOB : RollbackCommand.JOB;
        if (link != null && !link.matches("(" + RestoreCommand.PATH + "|" + RollbackCommand.PATH + ")/[A-Za-z0-9-]+")) {
            // Only a job of recovery-service is followed: a link is never a URL drctl sends its token to.
            throw new Json.UnexpectedDocument("'link' is not a restore's or a rollback's").from(Service.RECOVERY);
        }
        if (link == null || !wait.wait) {
            output.object(Service.RECOVERY, event);
            if (link != null) {
                followHint(job, link.substring(link.lastIndexOf('/') + 1));
            }
            return ExitCodes.OK;
        }
        if (output.forPeople()) {
            output.object(Service.RECOVERY, event);
            output.writer().println();
        }
        return started(api.get(Service.RECOVERY, link), wait, job, restores ? r -> RestoreCommand.rowCounts(output, r) : null);
    }

    /** The step's body: --body, or what the options of one kind of action say, and --note. */
    private ObjectNode request() {
        List<String> kinds = new ArrayList<>();
        if (backup != null || restore != null) {
            kinds.add("a restore");
        }
        if (rollback != null) {
            kinds.add("a rollback");
        }
        if (components != null) {
            kinds.add("components");
        }
        if (update != null) {
            kinds.add("an update");
        }
        if (kinds.size() > 1) {
            throw new IllegalArgumentException("The options of " + String.join(" and ", kinds)
                    + " are for different steps: give those of the step's action only.");
        }
        if (body != null && !kinds.isEmpty()) {
            throw new IllegalArgumentException("--body is the step's whole body: give it or the options of "
                    + kinds.get(0) + ", not both.");
        }
        if (wait.wait && (components != null || update != null)) {
            throw new IllegalArgumentException("--wait follows a restore or a rollback; setting components or "
                    + "posting an update is done when the step answers.");
        }
        wait.timeout();
        ObjectNode request;
        if (body != null) {
            JsonNode given;
            try {
                given = Json.MAPPER.readTree(body);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IllegalArgumentException("--body is not a JSON object: " + e.getOriginalMessage());
            }
            if (given == null || !given.isObject()) {
                throw new IllegalArgumentException("--body is not a JSON object.");
            }
            request = (ObjectNode) given;
        } else {
            request = Json.object();
        }
        if (backup != null || restore != null) {
            request.set("restore", restoreRequest());
        } else if (rollback != null) {
            request.set("rollback", rollbackRequest());
        } else if (components != null) {
            ObjectNode c = request.putObject("components");
            components.statuses.forEach(c::put);
        } else if (update != null) {
            request.putObject("update").put("status", update.status == null ? "monitoring" : update.status)
                    .put("body", required(update.message, "-m/--message (the update's text)"));
        }
        putIfSet(request, "note", note);
        return request;
    }

    private ObjectNode restoreRequest() {
        RestoreStep where = restore != null ? restore : new RestoreStep();
        if (backup == null) {
            throw new IllegalArgumentException("A restore step needs --latest, --latest-before TIME, --to-time TIME or --backup ID.");
        }
        String destination = required(where.destination, "--destination (where the restore goes)");
        String target = where.target;
        if (target == null && backup.byTarget()) {
            target = affectedTarget();
        }
        return RestoreCommand.request(backup, target, destination, where.mode, where.inPlace, where.confirm);
    }

    /** The incident's one affected target, the default of a restore step's --target. */
    private String affectedTarget() {
        JsonNode targets = api.get(Service.RECOVERY, IncidentCommand.PATH + "/" + Api.segment(id)).path("affectedTargets");
        if (targets.size() != 1) {
            List<String> names = new ArrayList<>();
            targets.forEach(t -> names.add(Text.printable(t.asText())));
            throw new IllegalArgumentException("Give --target: the incident has " + (names.isEmpty()
                    ? "no affected target" : names.size() + " affected targets (" + String.join(", ", names) + ")") + ".");
        }
        return targets.get(0).asText();
    }

    private ObjectNode rollbackRequest() {
        String deployment = required(rollback.deployment, "--deployment NAMESPACE/NAME (the Deployment to roll back)");
        int slash = deployment.indexOf('/');
        if (slash <= 0 || slash == deployment.length() - 1 || deployment.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("--deployment is NAMESPACE/NAME (e.g. loopgpt/api), not '" + deployment + "'.");
        }
        ObjectNode r = Json.object().put("namespace", deployment.substring(0, slash))
                .put("deployment", deployment.substring(slash + 1));
        if (rollback.toRevision != null) {
            r.put("toRevision", rollback.toRevision);
        }
        putIfSet(r, "healthUrl", rollback.healthUrl);
        return r;
    }
}
