package ai.loopgpt.dr.backup.alert;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A message to a peer, written with the decision that made it and sent after. */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    public UUID id;

    /** notification (notification-service) or component (status-service). */
    @Column(nullable = false)
    public String destination;

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

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "dead_at")
    public Instant deadAt;

    static OutboxMessage enqueue(String destination, Map<String, Object> payload, Instant now) {
        OutboxMessage m = new OutboxMessage();
        m.id = UUID.randomUUID();
        m.destination = destination;
        m.payload = payload;
        m.createdAt = now;
        m.nextAttemptAt = now;
        m.persist();
        return m;
    }
}
