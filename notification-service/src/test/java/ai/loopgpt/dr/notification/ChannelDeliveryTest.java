package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.notification.delivery.Dispatcher;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.SmtpResource;
import ai.loopgpt.dr.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Slack and signed webhooks to real HTTP receivers on loopback: Block Kit, signatures, 429, 400 and 503. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ChannelDeliveryTest.Receivers.class)
class ChannelDeliveryTest {

    static final HttpReceiver RECEIVER = new HttpReceiver();
    static final String SECRET = UUID.randomUUID().toString();

    /** Slack channels and webhooks pointing at the receiver; the test runs the dispatcher itself. */
    public static class Receivers implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>();
            config.put("notify.delivery.every", "off");
            config.put("notify.delivery.max-attempts", "4");
            config.put("notify.slack.\"incidents\".webhook-url", RECEIVER.url("/slack/incidents"));
            config.put("notify.slack.\"limited\".webhook-url", RECEIVER.url("/slack/limited"));
            // A webhook Slack has revoked: it answers 404 no_service.
            config.put("notify.slack.\"revoked\".webhook-url", RECEIVER.url("/slack/revoked"));
            config.put("notify.webhooks.\"ops-bridge\".url", RECEIVER.url("/hooks/ops"));
            config.put("notify.webhooks.\"ops-bridge\".secret", SECRET);
            config.put("notify.webhooks.\"broken\".url", RECEIVER.url("/hooks/broken"));
            config.put("notify.webhooks.\"broken\".secret", SECRET);
            config.put("notify.webhooks.\"flaky\".url", RECEIVER.url("/hooks/flaky"));
            config.put("notify.webhooks.\"flaky\".secret", SECRET);
            config.put("notify.audiences.\"on-call\".slack", "incidents");
            config.put("notify.audiences.\"on-call\".webhook", "ops-bridge");
            config.put("notify.audiences.\"limited\".slack", "limited");
            config.put("notify.audiences.\"broken\".webhook", "broken");
            config.put("notify.audiences.\"flaky\".webhook", "flaky");
            return config;
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    Dispatcher dispatcher;

    final ObjectMapper json = new ObjectMapper();

    static String send(String audience, String channels) {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body(NotificationDeliveryTest.incident("channels-" + UUID.randomUUID())
                        .replace("\"audience\":\"on-call\"", "\"audience\":\"" + audience + "\"")
                        .replace("\"channels\":[\"email\"]", "\"channels\":" + channels))
                .when().post("/api/v1/notifications").then().statusCode(202).extract().path("id");
    }

    static Map<String, Object> delivery(String id, String channel) {
        List<Map<String, Object>> deliveries = given().auth().oauth2(Tokens.viewer())
                .when().get("/api/v1/notifications/" + id).then().extract().path("deliveries");
        return deliveries.stream().filter(d -> channel.equals(d.get("channel"))).findFirst().orElseThrow();
    }

    @Test
    void oneNotificationGoesByEmailSlackBlockKitAndASignedWebhook() throws Exception {
        String id = send("on-call", "[\"email\",\"slack\",\"webhook\"]");
        Deliveries.settle(dispatcher, id);
        assertEquals("SENT", delivery(id, "email").get("state"));
        assertEquals("incidents", delivery(id, "slack").get("recipient"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id + "/deliveries?state=sent&size=2")
                .then().statusCode(200).body("total", equalTo(3)).body("items.size()", equalTo(2))
                .body("items[0].state", equalTo("SENT"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id + "/deliveries?state=lost")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("PENDING"));

        // Slack: valid Block Kit, within Slack's limits, placeholders filled.
        List<HttpReceiver.Request> slack = RECEIVER.requests("/slack/incidents").stream()
                .filter(r -> r.body().contains(id)).toList();
        assertEquals(1, slack.size());
        assertTrue(slack.get(0).header("Content-Type").startsWith("application/json"));
        JsonNode message = json.readTree(slack.get(0).body());
        assertEquals("LoopGPT Service Issue - 2026-11-26", message.get("text").asText());
        JsonNode blocks = message.get("blocks");
        assertTrue(blocks.isArray() && blocks.size() >= 2 && blocks.size() <= 50, blocks.toString());
        assertEquals("header", blocks.get(0).get("type").asText());
        assertEquals("plain_text", blocks.get(0).get("text").get("type").asText());
        assertEquals("LoopGPT Service Issue - 2026-11-26", blocks.get(0).get("text").get("text").asText());
        StringBuilder sections = new StringBuilder();
        for (JsonNode block : blocks) {
            String type = block.get("type").asText();
            assertTrue(Set.of("header", "section", "context").contains(type), type);
            if (type.equals("section")) {
                assertEquals("mrkdwn", block.get("text").get("type").asText());
                assertTrue(block.get("text").get("text").asText().length() <= 3000);
                sections.append(block.get("text").get("text").asText());
            }
            if (type.equals("context")) {
                assertEquals("mrkdwn", block.get("elements").get(0).get("type").asText());
            }
        }
        assertTrue(sections.toString().contains("Current Status: Investigating"), sections.toString());
        assertTrue(sections.toString().contains("Orders, Food search"));
        assertFalse(sections.toString().contains("{status}"));

        // Webhook: the signature verifies with the shared secret, and would not for another body.
        List<HttpReceiver.Request> hooks = RECEIVER.requests("/hooks/ops").stream()
                .filter(r -> r.body().contains(id)).toList();
        assertEquals(1, hooks.size());
        HttpReceiver.Request hook = hooks.get(0);
        String timestamp = hook.header("X-LoopGPT-Timestamp");
        assertNotNull(timestamp);
        assertTrue(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000) < 60);
        assertTrue(verifies(hook.header("X-LoopGPT-Signature"), timestamp, hook.body()), hook.header("X-LoopGPT-Signature"));
        assertFalse(verifies(hook.header("X-LoopGPT-Signature"), timestamp, hook.body().replace("Investigating", "Resolved")));
        JsonNode payload = json.readTree(hook.body());
        assertEquals(id, payload.get("notificationId").asText());
        assertEquals(delivery(id, "webhook").get("id"), hook.header("X-LoopGPT-Delivery"));
        assertEquals("Investigating", payload.get("variables").get("status").asText());
        assertTrue(payload.get("text").asText().contains("Current Status: Investigating"));
    }

    /** What a receiver does: HMAC-SHA256 over "timestamp.body", compared in constant time. */
    static boolean verifies(String header, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReceiverAnswering429IsRetriedNoSoonerThanItsRetryAfter() {
        RECEIVER.script("/slack/limited", Answer.of(429, "rate_limited", "Retry-After", "2"), Answer.of(200, "ok"));
        String id = send("limited", "[\"slack\"]");
        Deliveries.settle(dispatcher, id);
        List<HttpReceiver.Request> posts = RECEIVER.requests("/slack/limited").stream()
                .filter(r -> !r.body().equals("{}")).toList(); // not the self-check's empty probe
        assertEquals(2, posts.size());
        Duration gap = Duration.between(posts.get(0).at(), posts.get(1).at());
        assertTrue(gap.toMillis() >= 1900, "retried after " + gap);
        assertEquals("SENT", delivery(id, "slack").get("state"));
        assertEquals(2, delivery(id, "slack").get("attempts"));
    }

    @Test
    void aReceiverAnswering400EndsDeadAtOnceWithItsErrorAndCanBeRetried() {
        RECEIVER.script("/hooks/broken", Answer.of(400, "unknown hook"));
        String id = send("broken", "[\"webhook\"]");
        Deliveries.settle(dispatcher, id);
        Map<String, Object> dead = delivery(id, "webhook");
        assertEquals("DEAD", dead.get("state"));
        assertEquals(1, dead.get("attempts"), "a permanent failure is not retried");
        assertEquals("HTTP 400: unknown hook", dead.get("lastError"));
        assertEquals(1, RECEIVER.requests("/hooks/broken").size());

        RECEIVER.script("/hooks/broken", Answer.of(204, ""));
        given().auth().oauth2(Tokens.operator()).when().post("/api/v1/notifications/" + id + "/retry").then().statusCode(200);
        Deliveries.settle(dispatcher, id);
        assertEquals("SENT", delivery(id, "webhook").get("state"));
        ai.loopgpt.dr.testing.Management.given().when().get("/q/metrics").then()
                .body(containsString("dr_notification_deliveries_total{channel=\"webhook\",outcome=\"dead\"}"))
                .body(containsString("dr_notification_deliveries_total{channel=\"webhook\",outcome=\"retried\"}"));
    }

    @Test
    void aReceiverAnswering503IsRetriedUntilItTakesIt() {
        RECEIVER.script("/hooks/flaky", Answer.of(503, "maintenance"), Answer.of(200, "ok"));
        String id = send("flaky", "[\"webhook\"]");
        dispatcher.dispatch();
        Map<String, Object> waiting = delivery(id, "webhook");
        assertEquals("PENDING", waiting.get("state"));
        assertEquals("HTTP 503: maintenance", waiting.get("lastError"));
        Deliveries.settle(dispatcher, id);
        assertEquals("SENT", delivery(id, "webhook").get("state"));
        assertEquals(2, RECEIVER.requests("/hooks/flaky").size());
    }

    @Test
    void unknownChannelsAndChannelsAnAudienceDoesNotHaveAreRefused() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body(NotificationDeliveryTest.incident("pager").replace("[\"email\"]", "[\"pager\"]"))
                .when().post("/api/v1/notifications").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("email, slack, webhook"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body(NotificationDeliveryTest.incident("team-slack").replace("on-call", "team").replace("[\"email\"]", "[\"slack\"]"))
                .when().post("/api/v1/notifications").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("no slack recipients"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"variables\":{\"date\":\"2026-11-26\",\"status\":\"Investigating\",\"estimatedResolution\":\"soon\","
                        + "\"affectedServices\":\"Orders\"}}")
                .when().post("/api/v1/templates/incident-notification/preview").then().statusCode(200)
                .body("slack.blocks[0].type", equalTo("header"))
                .body("slack.text", equalTo("LoopGPT Service Issue - 2026-11-26"));
    }

    @Test
    void withoutChannelsAMessageGoesOutOnEveryChannelItsAudienceHas() {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body(NotificationDeliveryTest.incident("every-channel-" + UUID.randomUUID())
                        .replace("\"channels\":[\"email\"],", ""))
                .when().post("/api/v1/notifications").then().statusCode(202).extract().path("id");
        List<String> channels = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id)
                .then().statusCode(200).extract().path("deliveries.channel");
        assertEquals(Set.of("email", "slack", "webhook"), Set.copyOf(channels), "on-call has all three here");
    }

    @Test
    void audiencesSayOnWhichChannelsTheyReachSomeone() {
        given().auth().oauth2(Tokens.service()).when().get("/api/v1/audiences").then().statusCode(200)
                .body("find { it.name == 'on-call' }.channels", org.hamcrest.Matchers.contains("email", "slack", "webhook"))
                .body("find { it.name == 'team' }.channels", org.hamcrest.Matchers.contains("email"))
                .body("find { it.name == 'game-day' }.channels", org.hamcrest.Matchers.contains("email"))
                .body("find { it.name == 'status-subscribers' }.channels", org.hamcrest.Matchers.contains("email"))
                .body(org.hamcrest.Matchers.not(containsString("@")));
    }

    @Test
    void selfCheckSaysWhichWireIsBrokenAndHowToFixIt() throws Exception {
        RECEIVER.script("/slack/revoked", Answer.of(404, "no_service"));
        JsonNode report = json.readTree(given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/self-check")
                .then().statusCode(200).extract().asString());
        assertEquals("notification-service", report.path("service").asText());
        assertFalse(report.path("ok").asBoolean(), report.toString());
        assertTrue(check(report, "SMTP relay 127.0.0.1:").path("ok").asBoolean(), report.toString());
        assertTrue(check(report, "Slack channel incidents").path("ok").asBoolean(), report.toString());
        JsonNode revoked = check(report, "Slack channel revoked");
        assertFalse(revoked.path("ok").asBoolean());
        assertTrue(revoked.path("detail").asText().contains("404"), revoked.toString());
        assertTrue(revoked.path("fix").asText().contains("NOTIFY_SLACK_REVOKED"), revoked.toString());
        assertFalse(report.toString().contains(RECEIVER.url("/slack/revoked")), "a webhook URL is a secret");
        assertTrue(check(report, "audience game-day").path("ok").asBoolean(), report.toString());
        // Slack was asked with an empty message, which a valid webhook refuses: nothing reached the channel.
        assertTrue(RECEIVER.requests("/slack/incidents").stream().anyMatch(r -> r.body().equals("{}")));

        ai.loopgpt.dr.testing.SmtpServer smtp = SmtpResource.server();
        smtp.down();
        try {
            JsonNode down = json.readTree(given().auth().oauth2(Tokens.service()).when().get("/api/v1/self-check")
                    .then().statusCode(200).extract().asString());
            JsonNode relay = check(down, "SMTP relay 127.0.0.1:");
            assertFalse(relay.path("ok").asBoolean(), down.toString());
            assertTrue(relay.path("fix").asText().contains("QUARKUS_MAILER_HOST"), relay.toString());
        } finally {
            smtp.up();
        }
        given().when().get("/api/v1/self-check").then().statusCode(401);
    }

    private static JsonNode check(JsonNode report, String namePrefix) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("name").asText().startsWith(namePrefix)) {
                return check;
            }
        }
        throw new AssertionError("no check named " + namePrefix + "… in " + report);
    }
}
