package ai.loopgpt.dr.status.outbox;

import ai.loopgpt.dr.common.outbox.OutboxRow;
import jakarta.persistence.AttributeOverride;
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

/**
 * A message for notification-service, kept until it is delivered ({@code sentAt}, the column
 * {@code delivered_at}) and sent by {@link NotificationOutbox}. The columns {@code claimed_by} and
 * {@code claimed_until} stay in the table from the time replicas leased rows; nothing writes them now.
 */
@Entity
@Table(name = "outbox")
@AttributeOverride(name = "sentAt", column = @Column(name = "delivered_at"))
public class OutboxMessage extends OutboxRow {

    /** To send to an audience: {@code POST /api/v1/notifications}. */
    public static final String NOTIFICATION = "notification";
    /** A new subscriber: {@code POST /api/v1/subscribers}. */
    public static final String SUBSCRIPTION = "subscription";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** {@link #NOTIFICATION} or {@link #SUBSCRIPTION}. */
    @Column(nullable = false)
    public String kind;

    /** notification-service never acts twice on one key. */
    @Column(name = "idempotency_key", nullable = false)
    public String idempotencyKey;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> payload;

    @Override
    public String peer() {
        return "notification-service";
    }

    @Override
    public String label() {
        return id + " (" + kind + ")";
    }

    /** Adds a message to the caller's transaction. */
    public static void enqueue(String kind, String key, Map<String, Object> payload, Instant at) {
        OutboxMessage m = new OutboxMessage();
        m.kind = kind;
        m.idempotencyKey = key;
        m.payload = payload;
        m.queuedAt(at);
        m.persist();
    }
}
