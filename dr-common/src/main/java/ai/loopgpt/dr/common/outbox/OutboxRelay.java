package ai.loopgpt.dr.common.outbox;

import ai.loopgpt.dr.common.lock.Leadership;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceUnitUtil;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Sends a service's outbox: every pending {@link OutboxRow}, oldest first, each as the call its
 * service's {@link Routes} make of it. The rules, the same for every service:
 * <ul>
 * <li>Order per peer: a message that fails, or waits for its backoff, holds back the later messages
 * to the same peer until it is taken, so that a peer always ends with the last thing decided (the
 * component's last status, an update after the incident it updates). Other peers go on.</li>
 * <li>Backoff: a failure ({@link PeerCall.Kind#RETRY}: the peer is down, slow, overloaded, or not
 * configured yet) is tried again after {@link ai.loopgpt.dr.common.retry.Backoff} (doubling, with
 * jitter, up to the service's maximum), for as long as it takes: nothing is dropped.</li>
 * <li>Dead letter: a permanent refusal ({@link PeerCall#after}: a 4xx other than 408/425/429) marks
 * that one message dead, with the peer's answer, and the next ones go on; {@link #retry} sends it
 * again when an operator says so.</li>
 * </ul>
 *
 * <p>Several replicas: one replica sends, the one that {@link Leadership leads} the outbox's job
 * (a PostgreSQL advisory lock on the service's database). A lease on rows would let two replicas
 * each hold part of one peer's queue and send them out of order, which is the one thing the order
 * per peer forbids; a leader keeps the order with no column of its own, and the suite already runs
 * its timed jobs that way. A leader that dies loses the lock with its session and the next replica
 * takes over within one round. A message in flight when the lead changes hands may be sent twice:
 * every call carries an id or idempotency key (or is a PUT of a state), so the peer acts once.
 */
public final class OutboxRelay<M extends OutboxRow> {

    /** The most rows one round looks at. */
    static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** What is a service's own: how each of its messages becomes a call, and what a taken message records. */
    public interface Routes<M extends OutboxRow> {

        /** The call that delivers {@code message} (or {@link Call#unready}, why it cannot go yet). */
        Call call(M message);

        /** Records on {@code message} (in the transaction that marks it sent) what the peer's answer says. */
        default void taken(M message, String answer) {
        }
    }

    /** One call to a peer with a dr-service token: {@code body} is sent as JSON. */
    public record Call(String method, URI uri, String token, Object body, String unready) {

        /** A message that cannot go yet, and why (a peer not configured): it waits, as if the peer were down. */
        public static Call unready(String why) {
            return new Call(null, null, null, null, why);
        }
    }

    /** A peer as a service configures it: its base URL and the token, each named by its setting. */
    public record Peer(String urlSetting, Optional<String> url, String tokenSetting, Optional<String> token) {

        /** {@code method} on {@code path} below the peer's URL; unready while the URL or the token is unset. */
        public Call call(String method, String path, Object body) {
            if (url.isEmpty() || url.get().isBlank() || token.isEmpty() || token.get().isBlank()) {
                return Call.unready(urlSetting + " and " + tokenSetting + " must be set to send this");
            }
            return new Call(method, URI.create(url.get().strip().replaceAll("/+$", "") + path), token.get().strip(), body,
                    null);
        }
    }

    /** Where the rows are: the service's table, or a list in a test. */
    interface Store<M> {

        /** The pending rows (neither sent nor dead), oldest first, at most {@code limit}. */
        List<M> pending(int limit);

        Object id(M row);

        /** Applies {@code change} to the row as stored now, in a transaction of its own; false if it did not apply. */
        boolean change(Object id, Predicate<M> change);
    }

    private final String job;
    private final Duration maxWait;
    private final Routes<M> routes;
    private final Store<M> store;
    private final Function<Call, PeerCall.Outcome> sender;
    private final ObjectMapper json;
    private final BooleanSupplier leads;
    private final Clock clock;

    /**
     * The relay of the rows of entity {@code type}, sent by the replica leading {@code job}; a failed
     * message waits at most {@code maxWait} between attempts.
     */
    public OutboxRelay(Class<M> type, String job, Duration maxWait, Routes<M> routes, ObjectMapper json,
            Leadership leadership, Clock clock) {
        this(job, maxWait, routes, new Table<>(type), OutboxRelay::send, json, () -> leadership.leads(job), clock);
    }

    OutboxRelay(String job, Duration maxWait, Routes<M> routes, Store<M> store, Function<Call, PeerCall.Outcome> sender,
            ObjectMapper json, BooleanSupplier leads, Clock clock) {
        this.job = job;
        this.maxWait = maxWait;
        this.routes = routes;
        this.store = store;
        this.sender = sender;
        this.json = json;
        this.leads = leads;
        this.clock = clock;
    }

    /** A scheduled round: sends on the replica that leads this outbox, does nothing on the others. */
    public void roundIfLeading() {
        if (leads.getAsBoolean()) {
            round();
        }
    }

    /** One round: every message due now, oldest first, in order per peer; returns how many a peer took. */
    public synchronized int round() {
        List<M> pending = store.pending(BATCH);
        Set<String> held = new HashSet<>();
        Instant now = clock.instant();
        int sent = 0;
        for (M message : pending) {
            String peer = message.peer();
            if (held.contains(peer)) {
                continue;
            }
            if (message.nextAttemptAt.isAfter(now)) {
                held.add(peer); // Its backoff runs: the later ones wait for it.
                continue;
            }
            int failed = message.attempts;
            PeerCall.Outcome outcome = attempt(message);
            Instant at = clock.instant();
            boolean recorded = store.change(store.id(message), row -> {
                if (row.sentAt != null || row.deadAt != null) {
                    return false; // Settled meanwhile (a replica that led before this one).
                }
                row.attempted(outcome, at, maxWait);
                if (outcome.kind() == PeerCall.Kind.SENT) {
                    routes.taken(row, outcome.body());
                }
                return true;
            });
            if (!recorded) {
                continue;
            }
            String label = message.label();
            switch (outcome.kind()) {
                case SENT -> {
                    sent++;
                    if (failed > 0) {
                        LOG.infof("Outbox %s: message %s sent after %d failed attempts", job, label, failed);
                    }
                }
                case DEAD -> LOG.warnf("Outbox %s: message %s refused for good and dead-lettered: %s", job, label,
                        outcome.error());
                case RETRY -> {
                    held.add(peer);
                    if (failed == 0) {
                        LOG.warnf("Outbox %s: message %s not delivered yet, it waits (tried again with backoff): %s", job,
                                label, outcome.error());
                    } else {
                        LOG.debugf("Outbox %s: message %s still waits (attempt %d): %s", job, label, failed + 1,
                                outcome.error());
                    }
                }
            }
        }
        return sent;
    }

    /** Sends a dead message again at the next round; false if there is no dead message {@code id}. */
    public boolean retry(Object id) {
        Instant now = clock.instant();
        return store.change(id, row -> row.revive(now));
    }

    private PeerCall.Outcome attempt(M message) {
        try {
            Call call = routes.call(message);
            if (call.unready() != null) {
                return new PeerCall.Outcome(PeerCall.Kind.RETRY, call.unready());
            }
            return sender.apply(new Call(call.method(), call.uri(), call.token(), json.writeValueAsString(call.body()), null));
        } catch (JsonProcessingException | RuntimeException e) {
            return new PeerCall.Outcome(PeerCall.Kind.RETRY, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static PeerCall.Outcome send(Call call) {
        return PeerCall.send(call.method(), call.uri(), call.token(), (String) call.body());
    }

    /** The rows of a service's entity, each read and changed in a transaction of its own. */
    private static final class Table<M extends OutboxRow> implements Store<M> {
        private final Class<M> type;
        private volatile PersistenceUnitUtil ids;

        Table(Class<M> type) {
            this.type = type;
        }

        private EntityManager em() {
            return Panache.getEntityManager(type);
        }

        @Override
        public List<M> pending(int limit) {
            return QuarkusTransaction.requiringNew().call(() -> {
                EntityManager em = em();
                ids = em.getEntityManagerFactory().getPersistenceUnitUtil();
                String entity = em.getMetamodel().entity(type).getName();
                return em.createQuery("from " + entity + " m where m.sentAt is null and m.deadAt is null"
                        + " order by m.createdAt, m.id", type).setMaxResults(limit).getResultList();
            });
        }

        @Override
        public Object id(M row) {
            return ids.getIdentifier(row); // Known: the row was read by pending().
        }

        @Override
        public boolean change(Object id, Predicate<M> change) {
            return QuarkusTransaction.requiringNew().call(() -> {
                M row = em().find(type, id);
                return row != null && change.test(row);
            });
        }
    }
}
