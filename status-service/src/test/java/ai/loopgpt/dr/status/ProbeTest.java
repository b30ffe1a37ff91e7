package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A probe pointed at a local HTTP server that starts failing opens an incident, and resolves it on recovery. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(ProbeTest.WatchedService.class)
class ProbeTest {

    /** The "Edge Functions" this test watches: a loopback HTTP server whose answer the test chooses. */
    public static class WatchedService implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger STATUS = new AtomicInteger(200);
        static final String SECRET = "probe-secret-" + java.util.UUID.randomUUID();
        static HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/health", exchange -> {
                exchange.sendResponseHeaders(STATUS.get(), -1);
                exchange.close();
            });
            server.start();
            return Map.of(
                    // A URL with a secret in it, as internal health endpoints often have.
                    "status.probes.\"edge-functions\".url", "http://127.0.0.1:" + server.getAddress().getPort()
                            + "/health?token=" + SECRET,
                    "status.probes.\"edge-functions\".interval", "PT1S",
                    "status.probes.\"edge-functions\".failures-to-open", "2");
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    static JsonPath unresolved() {
        return given().when().get("/api/v2/incidents/unresolved.json").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aFailingComponentOpensAnIncidentByItselfAndRecoveryResolvesIt() throws Exception {
        WatchedService.STATUS.set(503);
        JsonPath opened = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(ProbeTest::unresolved, json -> !json.getList("incidents").isEmpty());
        String id = opened.getString("incidents[0].id");
        assertEquals("Edge Functions is not responding", opened.getString("incidents[0].name"));
        assertEquals("major", opened.getString("incidents[0].impact"));
        given().when().get("/api/v2/components.json").then()
                .body("components.find { it.id == 'edge-functions' }.status", equalTo("major_outage"));
        given().when().get("/api/v2/summary.json").then().body("incidents.id", org.hamcrest.Matchers.hasItem(id));
        given().when().get("/").then().body(containsString("Edge Functions is not responding"))
                .body(containsString("HTTP 503"));
        // Neither the probe's host nor its query reaches the public: page, incident page, feed, JSON, outbox.
        String host = "127.0.0.1:" + WatchedService.server.getAddress().getPort();
        for (String path : List.of("/", "/incidents/" + id, "/history.atom", "/api/v2/summary.json",
                "/api/v2/incidents.json")) {
            given().when().get(path).then().statusCode(200)
                    .body(not(containsString(host))).body(not(containsString(WatchedService.SECRET)));
        }
        try (var c = ai.loopgpt.dr.testing.PostgresResource.server().connect(ai.loopgpt.dr.testing.PostgresResource.SERVICE_DATABASE);
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM status.outbox WHERE payload::text LIKE '%"
                        + WatchedService.SECRET + "%' OR payload::text LIKE '%" + host + "%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no subscriber mail carries the probe's URL");
        }
        // Operators see the details.
        given().auth().oauth2(ai.loopgpt.dr.testing.Tokens.viewer()).when().get("/api/v1/probes").then().statusCode(200)
                .body("find { it.component == 'edge-functions' }.lastDetail", containsString("answered HTTP 503"))
                .body("find { it.component == 'edge-functions' }.url", containsString(WatchedService.SECRET));
        given().when().get("/api/v1/probes").then().statusCode(401);

        WatchedService.STATUS.set(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(ProbeTest::unresolved, json -> json.getList("incidents").isEmpty());
        given().when().get("/api/v2/incidents.json").then()
                .body("incidents.find { it.id == '" + id + "' }.status", equalTo("resolved"))
                .body("incidents.find { it.id == '" + id + "' }.incident_updates.status", equalTo(List.of("resolved", "investigating")));
        given().when().get("/api/v2/components.json").then()
                .body("components.find { it.id == 'edge-functions' }.status", equalTo("operational"));
        given().when().get("/").then().body(not(containsString("Active incidents")));
    }
}
