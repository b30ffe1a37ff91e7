package ai.loopgpt.dr.recovery.outbox;

import ai.loopgpt.dr.common.outbox.OutboxRow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A call to a peer (status-service or notification-service), written with the decision that made it
 * and sent after by {@link PeerOutbox}.
 */
@Entity
@Table(name = "peer_outbox")
public class PeerMessage extends OutboxRow {

    /** The peers. */
    public static final String STATUS = "status";
    public static final String NOTIFICATION = "notification";

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

    /** When notification-service sent its last delivery (delivered messages only). */
    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public String label() {
        return id + " to " + peer + " (" + method + " " + path + ")";
    }

    /** Queues a notification to notification-service (in the caller's transaction). */
    public static PeerMessage notification(Map<String, Object> body, UUID incident, Instant now) {
        return enqueue(NOTIFICATION, "POST", "/api/v1/notifications", body, incident, false, now);
    }

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
        m.queuedAt(now);
        m.persist();
        return m;
    }
}
