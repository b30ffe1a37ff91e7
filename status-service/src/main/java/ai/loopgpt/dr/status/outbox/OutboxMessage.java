package ai.loopgpt.dr.status.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A message for notification-service, kept until it is delivered. */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** {@code notification} (to send to an audience) or {@code subscription} (a new subscriber). */
    @Column(nullable = false)
    public String kind;

    /** notification-service never acts twice on one key. */
    @Column(name = "idempotency_key", nullable = false)
    public String idempotencyKey;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    /** The dispatch round holding the message, until {@link #claimedUntil}. */
    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "claimed_until")
    public Instant claimedUntil;

    /** When notification-service refused it for good; a dead message waits for an operator's retry. */
    @Column(name = "dead_at")
    public Instant deadAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    /** Adds a message to the caller's transaction. */
    public static void enqueue(String kind, String key, Map<String, Object> payload, Instant at) {
        OutboxMessage m = new OutboxMessage();
        m.kind = kind;
        m.idempotencyKey = key;
        m.payload = payload;
        m.createdAt = at;
        m.nextAttemptAt = at;
        m.persist();
    }
}
