package ai.loopgpt.dr.common.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The relay's rules without a database: order per peer, backoff, dead letters, leading. */
class OutboxRelayTest {

    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    /** Now, for the test: moved by hand. */
    Instant now = Instant.parse("2026-03-01T10:00:00Z");

    /** A message of the test: a name, to a peer. */
    static final class Row extends OutboxRow {
        final String name;
        final String to;

        Row(String name, String to, Instant at) {
            this.name = name;
            this.to = to;
            queuedAt(at);
        }

        @Override
        public String peer() {
            return to;
        }

        @Override
        public String label() {
            return name;
        }
    }

    /** The table, as a list. */
    static final class Rows implements OutboxRelay.Store<Row> {
        final List<Row> rows = new ArrayList<>();

        Row add(String name, String peer, Instant at) {
            Row row = new Row(name, peer, at);
            rows.add(row);
            return row;
        }

        @Override
        public List<Row> pending(int limit) {
            return rows.stream().filter(r -> r.sentAt == null && r.deadAt == null)
                    .sorted(Comparator.comparing(r -> r.createdAt)).limit(limit).toList();
        }

        @Override
        public Object id(Row row) {
            return row.name;
        }

        @Override
        public boolean change(Object id, Predicate<Row> change) {
            return rows.stream().filter(r -> r.name.equals(id)).findFirst().map(change::test).orElse(false);
        }
    }

    /**
     * The peers: each answers with the status set for it (202 unless told; 400, refused for good, to
     * any poison), and remembers what it took.
     */
    static final class Peers {
        final Map<String, Integer> status = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        final List<String> taken = new ArrayList<>();

        PeerCall.Outcome answer(OutboxRelay.Call call) {
            String peer = call.uri().getHost();
            String name = call.uri().getPath().substring(1);
            calls.add(name);
            int answer = name.startsWith("poison") ? 400 : status.getOrDefault(peer, 202);
            PeerCall.Kind kind = PeerCall.after(answer);
            if (kind == PeerCall.Kind.SENT) {
                taken.add(name);
                return new PeerCall.Outcome(kind, null, "{\"id\":\"" + name + "\"}");
            }
            return new PeerCall.Outcome(kind, "HTTP " + answer);
        }
    }

    final Rows rows = new Rows();
    final Peers peers = new Peers();
    final List<String> answers = new ArrayList<>();
    boolean leading = true;

    final OutboxRelay.Routes<Row> routes = new OutboxRelay.Routes<>() {
        @Override
        public OutboxRelay.Call call(Row message) {
            if ("unset".equals(message.to)) {
                return new OutboxRelay.Peer("test.unset-url", Optional.empty(), "test.token", Optional.of("t"))
                        .call("POST", "/" + message.name, Map.of());
            }
            return new OutboxRelay.Peer("test.url", Optional.of("http://" + message.to + "/"), "test.token",
                    Optional.of("t")).call("POST", "/" + message.name, Map.of("name", message.name));
        }

        @Override
        public void taken(Row message, String answer) {
            answers.add(answer);
        }
    };

    /** The relay as it runs at {@link #now}. */
    OutboxRelay<Row> relay() {
        return relay(peers::answer);
    }

    OutboxRelay<Row> relay(java.util.function.Function<OutboxRelay.Call, PeerCall.Outcome> sender) {
        return new OutboxRelay<>("test-outbox", MAX_WAIT, routes, rows, sender, new ObjectMapper(), () -> leading,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aFailingPeerHoldsBackItsLaterMessagesAndTheOthersGoOn() {
        Instant t = now.minusSeconds(60);
        Row a1 = rows.add("a1", "a", t);
        rows.add("b1", "b", t.plusSeconds(1));
        rows.add("a2", "a", t.plusSeconds(2));
        rows.add("b2", "b", t.plusSeconds(3));
        peers.status.put("a", 503);

        assertEquals(2, relay().round());
        assertEquals(List.of("a1", "b1", "b2"), peers.calls, "a2 is not tried while a1 waits");
        assertEquals(List.of("b1", "b2"), peers.taken);
        assertEquals(1, a1.attempts);
        assertEquals("HTTP 503", a1.lastError);
        assertTrue(a1.nextAttemptAt.isAfter(now), "a1 waits its backoff");

        // Back, but a1's backoff still runs: a1 holds a2 back, nothing goes out of order.
        peers.status.remove("a");
        assertEquals(0, relay().round());
        assertEquals(3, peers.calls.size(), "nothing tried before a1's backoff ends");

        now = now.plusSeconds(2);
        assertEquals(2, relay().round());
        assertEquals(List.of("b1", "b2", "a1", "a2"), peers.taken, "a's messages in the order decided");
        assertNotNull(a1.sentAt);
        assertNull(a1.lastError, "a sent message has no error");
        assertEquals(2, a1.attempts);
        assertEquals(0, relay().round(), "nothing is sent twice");
    }

    @Test
    void aTakenMessageRecordsThePeersAnswer() {
        rows.add("n1", "n", now);
        relay().round();
        assertEquals(List.of("{\"id\":\"n1\"}"), answers);
    }

    @Test
    void aPermanentRefusalDeadLettersTheOneMessageAndTheNextGoesInTheSameRound() {
        Instant t = now.minusSeconds(10);
        Row poison = rows.add("poison", "a", t);
        rows.add("after", "a", t.plusSeconds(1));
        relay().round();
        assertNotNull(poison.deadAt);
        assertEquals("HTTP 400", poison.lastError);
        assertEquals(List.of("poison", "after"), peers.calls, "the next message did not wait");
        assertEquals(List.of("after"), peers.taken);

        // An operator sends it again: pending at the next round, and still refused.
        assertTrue(relay().retry("poison"));
        assertNull(poison.deadAt);
        assertFalse(relay().retry("poison"), "only a dead message is sent again");
        assertFalse(relay().retry("after"));
        assertFalse(relay().retry("nothing"));
        relay().round();
        assertNotNull(poison.deadAt);
        assertEquals(2, poison.attempts);
    }

    @Test
    void aPeerNotConfiguredMakesItsMessagesWaitSayingWhichSettings() {
        Row m = rows.add("m", "unset", now);
        assertEquals(0, relay().round());
        assertNull(m.deadAt);
        assertEquals("test.unset-url and test.token must be set to send this", m.lastError);
        assertTrue(peers.calls.isEmpty());
    }

    @Test
    void aMessageSettledMeanwhileIsNotRecordedAgain() {
        Row m = rows.add("m", "a", now);
        OutboxRelay<Row> racing = relay(call -> {
            m.sentAt = now; // Another replica recorded it while this call was out.
            return peers.answer(call);
        });
        assertEquals(0, racing.round());
        assertEquals(0, m.attempts);
    }

    @Test
    void onlyTheLeadingReplicaSends() {
        rows.add("m", "a", now);
        leading = false;
        relay().roundIfLeading();
        assertTrue(peers.calls.isEmpty());
        leading = true;
        relay().roundIfLeading();
        assertEquals(List.of("m"), peers.taken);
    }

    @Test
    void theBodyGoesAsJsonToThePeersUrlWithItsToken() {
        List<OutboxRelay.Call> seen = new ArrayList<>();
        rows.add("m", "a", now);
        relay(call -> {
            seen.add(call);
            return new PeerCall.Outcome(PeerCall.Kind.SENT, null, "");
        }).round();
        assertEquals("http://a/m", seen.get(0).uri().toString(), "one slash between the URL and the path");
        assertEquals("{\"name\":\"m\"}", seen.get(0).body());
        assertEquals("t", seen.get(0).token());
        assertEquals("POST", seen.get(0).method());
    }

    @ParameterizedTest(name = "failure {0}: tried again after about {1} s")
    @CsvSource({"1, 1", "2, 2", "3, 4", "6, 32", "9, 256", "12, 300"})
    void eachFailureWaitsLongerUpToTheMaximum(int failures, long seconds) {
        Row m = rows.add("m", "a", now.minusSeconds(1));
        peers.status.put("a", 503);
        for (int i = 0; i < failures; i++) {
            m.nextAttemptAt = now;
            relay().round();
        }
        assertEquals(failures, m.attempts);
        long waits = Duration.between(now, m.nextAttemptAt).toMillis();
        assertTrue(waits >= seconds * 800 && waits <= Math.min(seconds * 1200, MAX_WAIT.toMillis()),
                failures + " failures -> " + waits + " ms");
    }

    @ParameterizedTest(name = "HTTP {0}: {1}")
    @CsvSource({"200, SENT", "201, SENT", "202, SENT", "204, SENT", "302, RETRY", "400, DEAD", "401, DEAD",
        "403, DEAD", "404, DEAD", "409, DEAD", "422, DEAD", "408, RETRY", "425, RETRY", "429, RETRY", "500, RETRY",
        "502, RETRY", "503, RETRY"})
    void aPeersAnswerDecidesSentRetryOrDead(int status, PeerCall.Kind kind) {
        assertEquals(kind, PeerCall.after(status));
    }
}
