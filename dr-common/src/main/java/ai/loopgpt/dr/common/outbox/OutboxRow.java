package ai.loopgpt.dr.common.outbox;

import ai.loopgpt.dr.common.retry.Backoff;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Duration;
import java.time.Instant;

/**
 * A message to a peer service, written in the transaction that decided it and sent after it by an
 * {@link OutboxRelay}. Each service keeps its own table in its own schema; its entity extends this
 * class with its id and what the message is (its kind, body, the peer it goes to).
 *
 * <p>A row is pending until a peer takes it ({@link #sentAt}) or refuses it for good ({@link #deadAt}:
 * dead-lettered, kept for the record, sent again only by {@link #revive}). The state changes happen
 * here, inside the entity, so that the persistence layer sees every one of them.
 */
@MappedSuperclass
public abstract class OutboxRow extends PanacheEntityBase {

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Calls made so far. */
    @Column(nullable = false)
    public int attempts;

    /** Not tried again before this (the backoff after a failed attempt). */
    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    /** Why the last attempt did not deliver it; none once it is sent. */
    @Column(name = "last_error")
    public String lastError;

    /** When the peer took it. */
    @Column(name = "sent_at")
    public Instant sentAt;

    /** When the peer refused it for good. */
    @Column(name = "dead_at")
    public Instant deadAt;

    /** The peer it goes to: the messages to one peer go one after the other, oldest first. */
    public abstract String peer();

    /** The message in a log line: its id and what it is, never its body (which may name people). */
    public abstract String label();

    /** Sets the times of a new message, due at once. */
    protected void queuedAt(Instant now) {
        createdAt = now;
        nextAttemptAt = now;
    }

    /** Records the outcome of one attempt made at {@code now}; a failure waits a backoff of at most {@code maxWait}. */
    void attempted(PeerCall.Outcome outcome, Instant now, Duration maxWait) {
        attempts++;
        switch (outcome.kind()) {
            case SENT -> {
                sentAt = now;
                lastError = null;
            }
            case DEAD -> {
                deadAt = now;
                lastError = outcome.error();
            }
            case RETRY -> {
                lastError = outcome.error();
                nextAttemptAt = now.plus(Backoff.after(attempts, maxWait));
            }
        }
    }

    /** A dead message becomes pending again, due at {@code now}; false if it is not dead. */
    boolean revive(Instant now) {
        if (deadAt == null || sentAt != null) {
            return false;
        }
        deadAt = null;
        nextAttemptAt = now;
        return true;
    }
}
