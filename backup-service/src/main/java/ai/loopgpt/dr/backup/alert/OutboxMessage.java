package ai.loopgpt.dr.backup.alert;

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

/** A message to a peer, written with the decision that made it and sent after by {@link AlertOutbox}. */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends OutboxRow {

    /** An alert, to notification-service: the payload is the notification. */
    static final String NOTIFICATION = "notification";
    /** The Backups component's status, to status-service: the payload names the component and its status. */
    static final String COMPONENT = "component";

    @Id
    public UUID id;

    /** notification (notification-service) or component (status-service). */
    @Column(nullable = false)
    public String destination;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> payload;

    @Override
    public String peer() {
        return destination;
    }

    @Override
    public String label() {
        return id + " to " + destination;
    }

    static OutboxMessage enqueue(String destination, Map<String, Object> payload, Instant now) {
        OutboxMessage m = new OutboxMessage();
        m.id = UUID.randomUUID();
        m.destination = destination;
        m.payload = payload;
        m.queuedAt(now);
        m.persist();
        return m;
    }
}
