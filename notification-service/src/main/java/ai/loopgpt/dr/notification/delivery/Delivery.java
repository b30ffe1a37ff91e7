package ai.loopgpt.dr.notification.delivery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One message to one recipient over one channel, with its attempts. */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    /** SUPPRESSED: its address was suppressed after the notification was accepted; nothing was sent. */
    public enum State { PENDING, SENT, DEAD, SUPPRESSED }

    @Id
    public UUID id;

    @Column(name = "notification_id", nullable = false)
    public UUID notificationId;

    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public String recipient;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public State state;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    /** The dispatch round holding the delivery's lease, while one does. */
    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** The subscriber this goes to, if any: its mail carries a one-click unsubscribe. */
    @Column(name = "subscriber_id")
    public UUID subscriberId;
}
