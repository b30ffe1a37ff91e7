package ai.loopgpt.dr.backup.stream.rest;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import ai.loopgpt.dr.backup.service.BackupRecords;
import ai.loopgpt.dr.backup.stream.PgOutputDecoder;
import ai.loopgpt.dr.backup.stream.StreamBases;
import ai.loopgpt.dr.backup.stream.StreamChain;
import ai.loopgpt.dr.backup.stream.StreamChains;
import ai.loopgpt.dr.backup.stream.StreamPlans;
import ai.loopgpt.dr.backup.stream.StreamTarget;
import ai.loopgpt.dr.backup.service.TargetService;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A streamed target's change stream: what its chains cover, and the plan to replay it to a time. */
@Path("/api/v1/targets/{name}/stream")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Change streams", description = "Committed changes of streamed targets, between their backups")
public class StreamResource {

    private final StreamPlans plans;
    private final StreamBases bases;
    private final StreamChains streamChains;
    private final TargetService targets;

    public StreamResource(StreamPlans plans, StreamBases bases, StreamChains streamChains, TargetService targets) {
        this.plans = plans;
        this.bases = bases;
        this.streamChains = streamChains;
        this.targets = targets;
    }

    /**
     * A target's stream: whether it streams (configured, and not stopped to protect its server: then
     * when and why it was stopped), and each chain a restore can start from, newest first.
     */
    public record StreamView(String target, boolean streamed, Instant stoppedAt, String stoppedReason, Instant from,
            Instant until, List<ChainView> chains) {
    }

    /** Turns streaming on again after it was stopped; its next backup starts a new chain. */
    public record Enable(@jakarta.validation.constraints.NotNull Boolean enabled) {
    }

    /**
     * A chain: its base backup, its slot, its phase, from when (its base's snapshot) to when (the last
     * change durable in the bucket, or where the next chain takes over) it can restore.
     */
    public record ChainView(UUID baseBackupId, String slot, StreamChain.Phase phase, Instant coverFrom, Instant until,
            Instant lastCommitTime, String lastCommitLsn, int segments, Long retainedWalBytes, String endReason) {
    }

    /** The plan to reach {@code toTime}: the base, then each segment in order, the last one cut at the time. */
    public record PlanView(String target, Instant toTime, PlanBase base, List<PlanSegment> segments, String script) {
    }

    public record PlanBase(UUID id, String objectKey, String manifestKey, String restore) {
    }

    /**
     * A segment to replay: {@code firstLsn}/{@code lastLsn} are the commit LSNs of its first and last
     * transaction (each transaction's header names its own), so that a replay can check the chain and
     * skip what it already applied.
     */
    public record PlanSegment(String objectKey, String manifestKey, String sha256, String firstLsn, String lastLsn,
            Instant firstCommitTime, Instant lastCommitTime, int transactions, boolean cut, String restore) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getStream", summary = "Shows a target's change stream and the times it can restore to")
    public StreamView get(@PathParam("name") String name) {
        // The stop first, then the chains: a stop and its chain's closing commit together, and each read here
        // sees what was committed before it, so a view that shows the stop shows the chain closed too.
        StreamTarget stopped = streamChains.disabled(name);
        List<ChainView> chains = plans.covered(name).stream().map(c -> new ChainView(c.chain().id, c.chain().slotName,
                c.chain().phase, c.chain().coverFrom, c.until(), c.chain().durableCommitTime,
                c.chain().durableCommitLsn == null ? null : ChangeSegmentFormat.lsn(c.chain().durableCommitLsn),
                c.chain().segments, c.chain().phase == StreamChain.Phase.ACTIVE ? c.chain().retainedWalBytes : null,
                c.chain().endReason)).toList();
        return new StreamView(name, bases.configured(name) && stopped == null, stopped == null ? null : stopped.disabledAt,
                stopped == null ? null : stopped.disabledReason,
                chains.isEmpty() ? null : chains.get(chains.size() - 1).coverFrom(),
                chains.isEmpty() ? null : chains.get(0).until(), chains);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "enableStream",
            summary = "Turns a stopped change stream on again (its next backup starts a new chain)")
    public StreamView enable(@PathParam("name") String name, @jakarta.validation.Valid Enable request) {
        if (!bases.configured(name)) {
            targets.get(name); // 404 for an unknown target
            throw ProblemException.conflict("Target " + name + " is not streamed: set backup.targets." + name
                    + ".stream=true in the configuration.");
        }
        if (request == null || !Boolean.TRUE.equals(request.enabled())) {
            throw ProblemException.badRequest("Send {\"enabled\":true} to turn streaming on again; "
                    + "it is stopped only to protect the server (GET shows why).");
        }
        streamChains.enable(name);
        return get(name);
    }

    @GET
    @Path("/plan")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "planStreamRestore",
            summary = "Lists the base and the change segments that bring a database to a time, with the commands")
    public PlanView plan(@PathParam("name") String name, @QueryParam("toTime") Instant toTime) {
        if (toTime == null) {
            throw ProblemException.badRequest("toTime is required: the time to restore to, as 2026-12-06T05:47:13Z.");
        }
        StreamPlans.Plan plan = plans.plan(name, toTime);
        String baseRestore = BackupRecords.restoreCommand(plan.base(), "DB");
        List<PlanSegment> segments = plan.segments().stream().map(step -> new PlanSegment(step.segment().objectKey,
                step.segment().manifestKey, step.segment().sha256, ChangeSegmentFormat.lsn(step.segment().key.firstLsn),
                ChangeSegmentFormat.lsn(step.segment().lastLsn), step.segment().firstCommitTime,
                step.segment().lastCommitTime, step.segment().transactions, step.cut(), step.command())).toList();
        StringBuilder script = new StringBuilder("# ").append(name).append(" as it was at ").append(toTime)
                .append(": replace DB with the database to restore into (empty)\n")
                .append("# base backup ").append(plan.base().id).append('\n')
                .append(baseRestore).append('\n');
        for (PlanSegment segment : segments) {
            script.append(segment.restore()).append('\n');
        }
        return new PlanView(name, toTime, new PlanBase(plan.base().id, plan.base().objectKey, plan.base().manifestKey,
                baseRestore), segments, script.toString());
    }
}
