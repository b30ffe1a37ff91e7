package ai.loopgpt.dr.recovery.outbox;

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

/** A call to a peer (status-service or notification-service), written with the decision that made it. */
@Entity
@Table(name = "peer_outbox")
public class PeerMessage extends PanacheEntityBase {

    @Id
    public UUID id;

    /** status or notification. */
    @Column(nullable = false)
    public String peer;

    @Column(nullable = false)
    public String method;

    @Column(nullable = false)
    public String path;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> body;

    /** The incident it speaks of. */
    @Column(name = "incident_id")
    public UUID incidentId;

    /** It opens the public incident: when it is sent, the incident is visible. */
    @Column(nullable = false)
    public boolean publishes;

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

    /** For a message to notification-service: the notification it became there. */
    @Column(name = "notification_id")
    public UUID notificationId;

    /** What notification-service says became of it: pending, delivered or dead (null: not asked). */
    @Column(name = "delivery")
    public String delivery;

    /** Why it is dead (channel and error), without addresses. */
    @Column(name = "delivery_detail")
    public String deliveryDetail;

    @Column(name = "delivery_checked_at")
    public Instant deliveryCheckedAt;

    /** Queues a call (in the caller's transaction). */
    public static PeerMessage enqueue(String peer, String method, String path, Map<String, Object> body, UUID incident,
            boolean publishes, Instant now) {
        PeerMessage m = new PeerMessage();
        m.id = UUID.randomUUID();
        m.peer = peer;
        m.method = method;
        m.path = path;
        m.body = body;
        m.incidentId = incident;
        m.publishes = publishes;
        m.createdAt = now;
        m.nextAttemptAt = now;
        m.persist();
        return m;
    }
}
