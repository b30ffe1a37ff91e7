package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.service.TargetService;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.backup.stream.StreamChain.Phase;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a streamed target's chains cover, and the plan to bring a database to a time: the base of
 * the chain that covers it, then its segments up to the last transaction committed at or before it.
 */
@ApplicationScoped
public class StreamPlans {

    private static final String PSQL = "psql -X -v ON_ERROR_STOP=1 -d DB";

    private final TargetService targets;
    private final StreamBases bases;
    private final StreamChains chains;
    private final BackupStore store;

    public StreamPlans(TargetService targets, StreamBases bases, StreamChains chains, BackupStore store) {
        this.targets = targets;
        this.bases = bases;
        this.chains = chains;
        this.store = store;
    }

    /**
     * A chain that can be restored from: its base is in the bucket, and it reaches {@code until}:
     * its newest durable commit (or later, up to where the idle stream showed it holds everything), or, when its segments run past the snapshot of the next chain's base,
     * that snapshot's time (from there the next chain takes over, with no gap between them).
     */
    public record Covered(StreamChain chain, Backup base, Instant until) {
    }

    /** The chains of {@code target} a restore can start from, newest first. */
    public List<Covered> covered(String target) {
        targets.get(target); // 404 for an unknown target
        List<Covered> covered = new ArrayList<>();
        StreamChain newer = null;
        for (StreamChain chain : chains.ofTarget(target, List.of(Phase.ACTIVE, Phase.CLOSED))) {
            Backup base = QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>findById(chain.id));
            if (chain.coverFrom != null && base != null && base.phase == BackupPhase.SUCCEEDED) {
                Instant until = chain.holdsAllUntil();
                if (newer != null && chain.durableEndLsn != null && newer.consistentLsn != null
                        && chain.durableEndLsn >= newer.consistentLsn && newer.coverFrom.isAfter(until)) {
                    until = newer.coverFrom;
                }
                covered.add(new Covered(chain, base, until));
                newer = chain;
            }
        }
        return covered;
    }

    /** The base and the segments to replay to reach {@code toTime}, and how. */
    public record Plan(String target, Instant toTime, Backup base, StreamChain chain, List<Step> segments) {
    }

    /** A segment to replay; {@code cut}: stop at its first transaction committed after the time. */
    public record Step(StreamSegment segment, boolean cut, String command) {
    }

    public Plan plan(String target, Instant toTime) {
        List<Covered> covered = covered(target);
        if (covered.isEmpty() && !bases.configured(target)) {
            throw ProblemException.conflict("Target " + target + " is not streamed: set backup.targets." + target
                    + ".stream=true, then take a backup to start its change stream.");
        }
        if (covered.isEmpty()) {
            throw ProblemException.conflict("Target " + target + " has no change stream yet: the next backup of it starts one.");
        }
        Covered newest = covered.get(0);
        Covered oldest = covered.get(covered.size() - 1);
        Covered chosen = covered.stream().filter(c -> !c.chain().coverFrom.isAfter(toTime)).findFirst().orElse(null);
        String window = " The stream covers " + oldest.chain().coverFrom + " to " + newest.until()
                + " (the last change streamed)" + gaps(covered) + ".";
        if (chosen == null) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "toTime " + toTime
                    + " is before the oldest change stream of " + target + "." + window);
        }
        if (toTime.isAfter(chosen.until())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, chosen == newest
                    ? "toTime " + toTime + " is after the last change streamed from " + target + "." + window
                    : "toTime " + toTime + " falls in a gap of the stream of " + target + "." + window);
        }
        List<Step> steps = new ArrayList<>();
        for (StreamSegment segment : chains.segments(chosen.chain().id)) {
            if (segment.firstCommitTime.isAfter(toTime)) {
                break;
            }
            boolean cut = segment.lastCommitTime.isAfter(toTime);
            String fetch = "aws s3 cp s3://" + store.bucket() + "/" + segment.objectKey + " - | gunzip -c";
            steps.add(new Step(segment, cut, cut
                    ? fetch + " | " + ChangeSegment.CUT.formatted(ChangeSegmentFormat.commitTime(toTime)) + " | " + PSQL
                    : fetch + " | " + PSQL));
        }
        return new Plan(target, toTime, chosen.base(), chosen.chain(), steps);
    }

    /** Where one chain ends before the next begins (a schema change, a slot dropped). */
    private static String gaps(List<Covered> covered) {
        StringBuilder gaps = new StringBuilder();
        for (int i = covered.size() - 1; i > 0; i--) {
            Covered older = covered.get(i);
            Covered newer = covered.get(i - 1);
            if (newer.chain().coverFrom.isAfter(older.until())) {
                gaps.append(gaps.length() == 0 ? ", except " : " and ").append(older.until()).append(" to ")
                        .append(newer.chain().coverFrom);
            }
        }
        return gaps.toString();
    }

    /** The chain of {@code baseId}, or 404. */
    public StreamChain chain(UUID baseId) {
        StreamChain chain = chains.get(baseId);
        if (chain == null) {
            throw ProblemException.notFound("stream chain", baseId);
        }
        return chain;
    }
}
