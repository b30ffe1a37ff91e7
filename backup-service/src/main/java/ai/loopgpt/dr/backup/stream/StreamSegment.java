package ai.loopgpt.dr.backup.stream;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A change segment durable in the bucket, as its manifest says: the rows a plan to a time is read from. */
@Entity
@Table(name = "stream_segment")
public class StreamSegment extends PanacheEntityBase {

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "chain_id", nullable = false)
        public UUID chainId;

        @Column(name = "first_lsn", nullable = false)
        public long firstLsn;

        public Key() {
        }

        public Key(UUID chainId, long firstLsn) {
            this.chainId = chainId;
            this.firstLsn = firstLsn;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.chainId.equals(chainId) && k.firstLsn == firstLsn;
        }

        @Override
        public int hashCode() {
            return chainId.hashCode() * 31 + Long.hashCode(firstLsn);
        }
    }

    @EmbeddedId
    public Key key;

    @Column(name = "last_lsn", nullable = false)
    public long lastLsn;

    @Column(name = "end_lsn", nullable = false)
    public long endLsn;

    @Column(name = "first_commit_time", nullable = false)
    public Instant firstCommitTime;

    @Column(name = "last_commit_time", nullable = false)
    public Instant lastCommitTime;

    @Column(nullable = false)
    public int transactions;

    @Column(name = "row_changes", nullable = false)
    public long rowChanges;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    @Column(name = "manifest_key", nullable = false)
    public String manifestKey;
}
