package ai.loopgpt.dr.backup.stream;

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
    public void recordConsistentPoint(UUID id, long consistentLsn, String baseSchema) {
        change(id, chain -> {
            chain.consistentLsn = consistentLsn;
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

    /** ACTIVE → CLOSED for {@code reason}; its slot is dropped. */
    public void close(UUID id, String reason) {
        change(id, chain -> {
            chain.phase = Phase.CLOSED;
            chain.endReason = reason;
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

    /** A segment of the chain is durable in the bucket. */
    public void recordSegment(UUID id, long commitLsn, long endLsn, Instant commitTime) {
        change(id, chain -> {
            if (chain.durableCommitLsn == null || commitLsn > chain.durableCommitLsn) {
                chain.durableCommitLsn = commitLsn;
                chain.durableEndLsn = endLsn;
                chain.durableCommitTime = commitTime;
            }
            chain.segments++;
        });
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
        QuarkusTransaction.requiringNew().run(() -> {
            StreamChain chain = StreamChain.findById(id);
            if (chain == null) {
                throw new IllegalStateException("no stream chain " + id);
            }
            change.accept(chain);
            chain.updatedAt = clock.instant();
        });
    }
}
