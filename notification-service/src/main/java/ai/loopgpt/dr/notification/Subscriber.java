package ai.loopgpt.dr.notification;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Someone who asked for status updates by email: pending until confirmed, then until unsubscribed. */
@Entity
@Table(name = "subscriber")
public class Subscriber extends PanacheEntityBase {

    public enum State { PENDING, CONFIRMED, UNSUBSCRIBED }

    @Id
    public UUID id;

    @Column(nullable = false)
    public String email;

    /** Component ids, comma-separated; empty means every component. */
    @Column(nullable = false)
    public String components = "";

    /** Components asked for by a confirmed subscriber: they apply once that request is confirmed. */
    @Column(name = "pending_components")
    public String pendingComponents;

    /** Confirmation mails sent since {@link #confirmationWindowStart}. */
    @Column(name = "confirmations_sent", nullable = false)
    public int confirmationsSent;

    @Column(name = "confirmation_window_start")
    public java.time.Instant confirmationWindowStart;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public State state;

    /** SHA-256 of the single-use confirmation token; null once used. */
    @Column(name = "confirm_token_hash")
    public String confirmTokenHash;

    /**
     * SHA-256 of the random unsubscribe token mailed before links were keyed (UnsubscribeTokens);
     * null for subscribers since.
     */
    @Column(name = "legacy_unsubscribe_hash")
    public String legacyUnsubscribeHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Column(name = "unsubscribed_at")
    public Instant unsubscribedAt;

    public List<String> componentList() {
        return components.isEmpty() ? List.of() : Arrays.asList(components.split(","));
    }

    /** Whether a message about {@code affected} components concerns this subscriber. */
    public boolean interestedIn(List<String> affected) {
        List<String> mine = componentList();
        return mine.isEmpty() || affected == null || affected.isEmpty() || affected.stream().anyMatch(mine::contains);
    }
}
