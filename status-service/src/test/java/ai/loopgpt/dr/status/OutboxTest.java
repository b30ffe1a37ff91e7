package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.status.outbox.NotificationOutbox;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Incident updates and subscriptions go to notification-service through the outbox: while it is
 * down the page still updates and the message waits; once it is back the message goes, once.
 * A loopback HTTP receiver stands in for notification-service and records what it is sent.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(OutboxTest.Receiver.class)
class OutboxTest {

    public static class Receiver implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger STATUS = new AtomicInteger(503);
        static final List<Map.Entry<String, JsonNode>> RECEIVED = new CopyOnWriteArrayList<>();
        static HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/api/v1/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                // A message notification-service refuses for good, whatever the moment.
                int status = new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("Poison") ? 400 : STATUS.get();
                if (status < 300) {
                    RECEIVED.add(Map.entry(exchange.getRequestURI().getPath() + " "
                            + exchange.getRequestHeaders().getFirst("Authorization"), new ObjectMapper().readTree(body)));
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            return Map.of("quarkus.rest-client.notification-service.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "status.notification-service.token", Tokens.service(),
                    "status.outbox.every", "off");
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    @Inject
    NotificationOutbox outbox;

    static int pending() throws Exception {
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM status.outbox WHERE delivered_at IS NULL AND dead_at IS NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anIncidentUpdateWaitsWhileNotificationServiceIsDownAndGoesOnceWhenItIsBack() throws Exception {
        Receiver.STATUS.set(503);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Instacart orders delayed\",\"status\":\"identified\",\"impact\":\"minor\","
                        + "\"body\":\"Instacart is slow to accept orders.\",\"components\":{\"instacart\":\"degraded_performance\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201);
        assertEquals(0, outbox.send());
        assertTrue(pending() >= 1);
        given().when().get("/api/v2/incidents/unresolved.json").then()
                .body(containsString("Instacart orders delayed"));

        Receiver.STATUS.set(202);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    outbox.send();
                    return pending() == 0;
                });
        var sent = Receiver.RECEIVED.stream().filter(e -> e.getKey().startsWith("/api/v1/notifications")
                && e.getValue().path("variables").path("incident").asText().equals("Instacart orders delayed")).toList();
        assertEquals(1, sent.size(), "delivered once: " + sent);
        JsonNode notification = sent.get(0).getValue();
        assertTrue(sent.get(0).getKey().contains("Bearer "), "with the service token");
        assertEquals("status-update", notification.path("template").asText());
        assertEquals("status-subscribers", notification.path("audience").asText());
        assertEquals("instacart", notification.path("components").path(0).asText());
        assertTrue(notification.path("idempotencyKey").asText().startsWith("status-update-"));
        assertEquals(0, outbox.send(), "nothing is sent twice");
    }

    @Test
    void aMessageRefusedForGoodIsDeadLetteredAndDoesNotDelayTheNextOne() throws Exception {
        Receiver.STATUS.set(202);
        // What earlier tests left waiting goes first: one peer's messages go in order.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    outbox.send();
                    return pending() == 0;
                });
        for (String name : List.of("Poison incident", "After the poison")) {
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\",\"status\":\"investigating\",\"impact\":\"minor\","
                            + "\"body\":\"Checking.\",\"components\":{\"shipt\":\"degraded_performance\"}}")
                    .when().post("/api/v1/incidents").then().statusCode(201);
        }
        outbox.send();
        assertTrue(Receiver.RECEIVED.stream().anyMatch(e -> e.getValue().path("variables").path("incident").asText()
                .equals("After the poison")), "the next message went in the same round");
        assertEquals(0, pending());
        int dead = given().auth().oauth2(Tokens.viewer()).queryParam("state", "dead").when().get("/api/v1/outbox").then()
                .statusCode(200).body("items[0].state", org.hamcrest.Matchers.equalTo("dead"))
                .body("items[0].lastError", containsString("HTTP 400"))
                .extract().path("items[0].id");
        given().auth().oauth2(Tokens.operator()).when().post("/api/v1/outbox/" + dead + "/retry").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("pending"));
        given().auth().oauth2(Tokens.operator()).when().post("/api/v1/outbox/" + dead + "/retry").then().statusCode(409)
                .contentType("application/problem+json");
        outbox.send();
        given().auth().oauth2(Tokens.viewer()).queryParam("state", "dead").when().get("/api/v1/outbox").then()
                .body("items.id", org.hamcrest.Matchers.hasItem(dead));
        given().auth().oauth2(Tokens.viewer()).queryParam("state", "sideways").when().get("/api/v1/outbox").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theSubscribeFormHandsValidAddressesToNotificationServiceAndRefusesBadOnes() throws Exception {
        Receiver.STATUS.set(202);
        int before = pending();
        given().contentType(ContentType.URLENC).formParam("email", "not an address")
                .when().post("/subscribe").then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("not an email address"));
        given().contentType(ContentType.URLENC).formParam("email", "bob@example.com").formParam("components", "moon")
                .when().post("/subscribe").then().statusCode(400).body(containsString("moon"));
        // Addresses notification-service would refuse are refused here, before they reach the outbox.
        for (String poison : List.of("a@b", "<a>@example.com", "x@example.com\r\nBcc: y@example.com", "a..b@example.com")) {
            given().contentType(ContentType.URLENC).formParam("email", poison)
                    .when().post("/subscribe").then().statusCode(400);
        }
        assertEquals(before, pending(), "nothing stored");
        // The redirect never echoes the Host header.
        given().redirects().follow(false).header("Host", "evil.example").contentType(ContentType.URLENC)
                .formParam("email", "carol@example.com").when().post("/subscribe").then().statusCode(303)
                .header("Location", "/subscribe/thanks");

        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", "alice@example.com").formParam("components", "api").formParam("components", "orders")
                .when().post("/subscribe").then().statusCode(303);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    outbox.send();
                    return Receiver.RECEIVED.stream().anyMatch(e -> e.getKey().startsWith("/api/v1/subscribers")
                            && e.getValue().path("email").asText().equals("alice@example.com"));
                });
        given().when().get("/").then().body(containsString("action=\"/subscribe\""));
    }
}
