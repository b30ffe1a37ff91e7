package ai.loopgpt.dr.common.selfcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.common.selfcheck.PeerProbe.AudienceUse;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Whether an audience a service sends to reaches someone, and how a peer's answer reads. */
class PeerProbeTest {

    static final Map<String, List<String>> AUDIENCES = Map.of("on-call", List.of("email", "slack"),
            "team", List.of("email"), "silent", List.of());

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "on-call  | ''          | true  | reaches people by email, slack",
            "on-call  | slack       | true  | reaches people by slack",
            "team     | ''          | true  | reaches people by email",
            "team     | email;slack | false | has no slack recipients",
            "silent   | ''          | false | has no recipient on any channel",
            "game-day | ''          | false | has no audience 'game-day'"})
    void anAudienceReachesSomeoneOnTheChannelsAsked(String audience, String channels, boolean ok, String said) {
        Optional<List<String>> asked = channels.isEmpty() ? Optional.empty() : Optional.of(List.of(channels.split(";")));
        Check check = PeerProbe.audience(new AudienceUse("drills", audience, asked, "x.audience", "x.channels"), AUDIENCES);
        assertEquals(ok, check.ok(), check.toString());
        assertTrue(check.detail().contains(said), check.detail());
        if (!ok) {
            assertTrue(check.fix().contains("notify.audiences.\"" + audience + "\""), check.fix());
        }
    }

    @Test
    void aPeerRefusingTheTokenOrNotThereSaysWhatToChange() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/self-check/caller", exchange -> {
            boolean good = "Bearer good".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (good ? "{\"subject\":\"s\"}" : "").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(good ? 200 : 401, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Optional<String> url = Optional.of("http://127.0.0.1:" + server.getAddress().getPort());
            assertTrue(PeerProbe.reach("status-service", "incidents", url, Optional.of("good"), "U", "T").ok());
            Check refused = PeerProbe.reach("status-service", "incidents", url, Optional.of("bad"), "U", "T");
            assertFalse(refused.ok());
            assertTrue(refused.detail().contains("401") && refused.fix().contains("T"), refused.toString());
            assertFalse(refused.toString().contains("bad\""), "the token is never quoted");
            Check unset = PeerProbe.reach("status-service", "incidents", Optional.empty(), Optional.of("good"), "U", "T");
            assertTrue(!unset.ok() && unset.fix().contains("U"), unset.toString());
        } finally {
            server.stop(0);
        }
        Check down = PeerProbe.reach("status-service", "incidents", Optional.of("http://127.0.0.1:9"), Optional.of("good"), "U", "T");
        assertFalse(down.ok());
        assertTrue(down.detail().contains("nothing answers") && down.fix().contains("Start status-service"), down.toString());
    }
}
