package ai.loopgpt.dr.backup.stream;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One chain of a streamed target: its base backup ({@code id} is the backup's), the replication slot
 * created with the snapshot the base was taken in, and how far the change segments after the base are
 * durable in the bucket. The segments' manifests in the bucket are the truth; this row is where the
 * streamer resumes and what the API shows.
 */
@Entity
@Table(name = "stream_chain")
public class StreamChain extends PanacheEntityBase {

    /**
     * STARTING: the slot is being created (it may exist); ACTIVE: the base succeeded, its changes
     * stream; CLOSED: a newer chain took over (or the target stopped streaming), the slot is dropped;
     * FAILED: the base failed, the slot is dropped.
     */
    public enum Phase { STARTING, ACTIVE, CLOSED, FAILED }

    @Id
    public UUID id;

    @Column(nullable = false)
    public String target;

    @Column(name = "slot_name", nullable = false)
    public String slotName;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Phase phase;

    /** Where the slot's stream starts: the base holds every transaction committed before it. */
    @Column(name = "consistent_lsn")
    public Long consistentLsn;

    /** The database's clock right after the slot's snapshot: every commit before it is in the base. */
    @Column(name = "cover_from")
    public Instant coverFrom;

    /** The tables' shapes in the base's snapshot, as JSON {@link PgOutputMessage.Relation}s. */
    @Column(name = "base_schema")
    public String baseSchema;

    /** The commit LSN of the last transaction durable in the bucket (null: none yet). */
    @Column(name = "durable_commit_lsn")
    public Long durableCommitLsn;

    /** The end LSN of that transaction: the slot is confirmed up to here. */
    @Column(name = "durable_end_lsn")
    public Long durableEndLsn;

    @Column(name = "durable_commit_time")
    public Instant durableCommitTime;

    /**
     * Every transaction committed before this time (the server's clock) is durable in the bucket: the
     * stream, idle, had received the server's WAL up to a position read at that time, with nothing pending.
     */
    @Column(name = "caught_up_at")
    public Instant caughtUpAt;

    /** Up to when the chain holds every committed transaction: its last durable commit, or later when idle. */
    public Instant holdsAllUntil() {
        Instant until = coverFrom;
        for (Instant t : new Instant[] {durableCommitTime, caughtUpAt}) {
            if (t != null && (until == null || t.isAfter(until))) {
                until = t;
            }
        }
        return until;
    }

    @Column(nullable = false)
    public int segments;

    /** The WAL the slot keeps on the server, as last measured (null: not yet). */
    @Column(name = "retained_wal_bytes")
    public Long retainedWalBytes;

    @Column(name = "retained_checked_at")
    public Instant retainedCheckedAt;

    @Column(name = "end_reason")
    public String endReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** {@code dr_<target>_<first 8 hex digits of the base's id>}: a valid slot name, unique per chain. */
    public static String slotName(String target, UUID baseId) {
        return "dr_" + target.replace('-', '_') + "_" + baseId.toString().substring(0, 8);
    }
}
