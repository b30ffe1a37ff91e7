package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import ai.loopgpt.dr.backup.storage.SegmentManifest;
import ai.loopgpt.dr.backup.stream.StreamChain.Phase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** The named transitions of a stream chain, each in a transaction of its own. */
@ApplicationScoped
public class StreamChains {

    private final Clock clock;

    public StreamChains(Clock clock) {
        this.clock = clock;
    }

    /** A chain for the base backup {@code backupId}, STARTING, recorded before its slot is created. */
    public StreamChain markStarting(UUID backupId, String target) {
        return QuarkusTransaction.requiringNew().call(() -> {
            StreamChain chain = new StreamChain();
            chain.id = backupId;
            chain.target = target;
            chain.slotName = StreamChain.slotName(target, backupId);
            chain.phase = Phase.STARTING;
            chain.createdAt = clock.instant();
            chain.updatedAt = chain.createdAt;
            chain.persist();
            return chain;
        });
    }

    /** The slot exists and its stream starts at {@code consistentLsn}, after a base of tables shaped {@code baseSchema}. */
    public void recordConsistentPoint(UUID id, long consistentLsn, Instant coverFrom, String baseSchema) {
        change(id, chain -> {
            chain.consistentLsn = consistentLsn;
            chain.coverFrom = coverFrom;
            chain.baseSchema = baseSchema;
        });
    }

    /** STARTING → ACTIVE: the base succeeded; its changes stream. */
    public void activate(UUID id) {
        change(id, chain -> {
            if (chain.phase == Phase.STARTING) {
                chain.phase = Phase.ACTIVE;
            }
        });
    }

    /** STARTING → FAILED: the base failed; its slot is dropped (or was never made). */
    public void fail(UUID id, String reason) {
        change(id, chain -> {
            chain.phase = Phase.FAILED;
            chain.endReason = reason;
        });
    }

    /** ACTIVE → CLOSED for {@code reason}; its slot is dropped. A chain that already ended keeps its reason. */
    public void close(UUID id, String reason) {
        change(id, closing(reason));
    }

    private static Consumer<StreamChain> closing(String reason) {
        return chain -> {
            if (chain.phase == Phase.ACTIVE) {
                chain.phase = Phase.CLOSED;
                chain.endReason = reason;
            }
        };
    }

    /**
     * Its slot over the WAL limit ({@code reason}): the target stops streaming and its chain {@code id}
     * closes, in one transaction: no reader sees one without the other, and a crash after it leaves an
     * ended chain whose slot the next sweep drops.
     */
    public void stopOverWalLimit(String target, UUID id, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            recordDisabled(target, reason);
            apply(id, closing("wal-limit: " + reason));
        });
    }

    /** ACTIVE → CLOSED for {@code reason} if the chain of {@code baseId} streams; true if it did. */
    public boolean endIfActive(UUID baseId, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> {
            StreamChain chain = StreamChain.findById(baseId);
            if (chain == null || chain.phase != Phase.ACTIVE) {
                return false;
            }
            chain.phase = Phase.CLOSED;
            chain.endReason = reason;
            chain.updatedAt = clock.instant();
            return true;
        });
    }

    /** A segment of the chain is durable in the bucket, as {@code manifest} (at {@code manifestKey}) says. */
    public void recordSegment(UUID id, SegmentManifest manifest, String manifestKey) {
        long firstLsn = ChangeSegmentFormat.parseLsn(manifest.firstLsn());
        long commitLsn = ChangeSegmentFormat.parseLsn(manifest.lastLsn());
        long endLsn = ChangeSegmentFormat.parseLsn(manifest.endLsn());
        QuarkusTransaction.requiringNew().run(() -> {
            StreamChain chain = StreamChain.findById(id);
            if (StreamSegment.findById(new StreamSegment.Key(id, firstLsn)) == null) {
                StreamSegment segment = new StreamSegment();
                segment.key = new StreamSegment.Key(id, firstLsn);
                segment.lastLsn = commitLsn;
                segment.endLsn = endLsn;
                segment.firstCommitTime = manifest.firstCommitTime();
                segment.lastCommitTime = manifest.lastCommitTime();
                segment.transactions = manifest.transactions();
                segment.rowChanges = manifest.rows();
                segment.sizeBytes = manifest.sizeBytes();
                segment.sha256 = manifest.sha256();
                segment.objectKey = manifest.objectKey();
                segment.manifestKey = manifestKey;
                segment.persist();
                chain.segments++;
            }
            if (chain.durableCommitLsn == null || commitLsn > chain.durableCommitLsn) {
                chain.durableCommitLsn = commitLsn;
                chain.durableEndLsn = endLsn;
                chain.durableCommitTime = manifest.lastCommitTime();
            }
            chain.updatedAt = clock.instant();
        });
    }

    /** The ACTIVE chain holds every transaction committed before {@code time} (see {@link StreamChain#caughtUpAt}). */
    public void recordCaughtUp(UUID id, Instant time) {
        change(id, chain -> {
            if (chain.phase == Phase.ACTIVE && (chain.caughtUpAt == null || time.isAfter(chain.caughtUpAt))) {
                chain.caughtUpAt = time;
            }
        });
    }

    /** The WAL the chain's slot keeps on the server now. */
    public void recordRetained(UUID id, long bytes) {
        change(id, chain -> {
            chain.retainedWalBytes = bytes;
            chain.retainedCheckedAt = clock.instant();
        });
    }

    /** Why streaming of {@code target} was stopped, or null when it is not. */
    public StreamTarget disabled(String target) {
        return QuarkusTransaction.requiringNew().call(() -> StreamTarget.<StreamTarget>findById(target));
    }

    /** Stops streaming {@code target} for {@code reason} until {@link #enable}. */
    public void disable(String target, String reason) {
        QuarkusTransaction.requiringNew().run(() -> recordDisabled(target, reason));
    }

    private void recordDisabled(String target, String reason) {
        if (StreamTarget.findById(target) == null) {
            StreamTarget row = new StreamTarget();
            row.target = target;
            row.disabledAt = clock.instant();
            row.disabledReason = reason;
            row.persist();
        }
    }

    /** Streams {@code target} again from its next backup; true if it had been stopped. */
    public boolean enable(String target) {
        return QuarkusTransaction.requiringNew().call(() -> StreamTarget.deleteById(target));
    }

    /** The segments of chain {@code id}, in stream order. */
    public List<StreamSegment> segments(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> StreamSegment.<StreamSegment>list(
                "key.chainId = ?1 order by key.firstLsn", id));
    }

    /** The chains of {@code target} in {@code phases}, newest first. */
    public List<StreamChain> ofTarget(String target, List<Phase> phases) {
        return QuarkusTransaction.requiringNew().call(() -> StreamChain.<StreamChain>list(
                "target = ?1 and phase in ?2 order by createdAt desc", target, phases));
    }

    public StreamChain get(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> StreamChain.<StreamChain>findById(id));
    }

    /** The newest ACTIVE chain of {@code target}, or null. */
    public StreamChain newestActive(String target) {
        return QuarkusTransaction.requiringNew().call(() -> StreamChain.<StreamChain>find(
                "target = ?1 and phase = ?2 order by createdAt desc", target, Phase.ACTIVE).firstResult());
    }

    /** Every chain in {@code phase}, oldest first. */
    public List<StreamChain> inPhase(Phase phase) {
        return QuarkusTransaction.requiringNew().call(() -> StreamChain.<StreamChain>list(
                "phase = ?1 order by createdAt", phase));
    }

    private void change(UUID id, Consumer<StreamChain> change) {
        QuarkusTransaction.requiringNew().run(() -> apply(id, change));
    }

    private void apply(UUID id, Consumer<StreamChain> change) {
        StreamChain chain = StreamChain.findById(id);
        if (chain == null) {
            throw new IllegalStateException("no stream chain " + id);
        }
        change.accept(chain);
        chain.updatedAt = clock.instant();
    }
}
