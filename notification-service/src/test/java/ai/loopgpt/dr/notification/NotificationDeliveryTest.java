package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.notification.delivery.Dispatcher;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.SmtpResource;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Email from templates through a real SMTP server on loopback, with retries and idempotency. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(NotificationDeliveryTest.ManualDispatch.class)
class NotificationDeliveryTest {

    /** The test runs the dispatcher itself. */
    public static class ManualDispatch implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("notify.delivery.every", "off", "notify.delivery.max-attempts", "3");
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    Dispatcher dispatcher;

    static String incident(String key) {
        return "{\"template\":\"incident-notification\",\"channels\":[\"email\"],\"audience\":\"on-call\","
                + "\"idempotencyKey\":\"" + key + "\",\"variables\":{\"date\":\"2026-11-26\",\"status\":\"Investigating\","
                + "\"estimatedResolution\":\"18:00 UTC\",\"affectedServices\":\"Orders, Food search\"}}";
    }

    static List<SmtpServer.Message> mailsWith(String key) {
        return SmtpResource.server().messages().stream().filter(m -> m.data().contains(key)).toList();
    }

    @Test
    void theIncidentTemplateArrivesWithThePlansSubjectBothPartsAndEveryPlaceholderFilled() {
        String key = "incident-" + UUID.randomUUID();
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(incident(key))
                .when().post("/api/v1/notifications").then()
                .statusCode(202)
                .body("deliveries[0].recipient", equalTo("oncall@loopgpt.ai"))
                .body("deliveries[0].state", equalTo("PENDING"))
                .extract().path("id");
        Deliveries.settle(dispatcher, id);
        List<SmtpServer.Message> mails = SmtpResource.server().messages().stream()
                .filter(m -> id.equals(m.header("X-LoopGPT-Notification"))).toList();
        assertEquals(1, mails.size());
        SmtpServer.Message mail = mails.get(0);
        assertEquals(List.of("oncall@loopgpt.ai"), mail.to());
        assertEquals("LoopGPT Service Issue - 2026-11-26", mail.header("Subject"));
        assertTrue(mail.header("Content-Type").startsWith("multipart/alternative"), mail.header("Content-Type"));
        assertTrue(mail.data().contains("text/plain") && mail.data().contains("text/html"), "both parts");
        assertTrue(mail.data().contains("Current Status: Investigating"), mail.data());
        assertTrue(mail.data().contains("Orders, Food search"));
        assertTrue(!mail.data().contains("{status}") && !mail.data().contains("{estimatedResolution}"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id).then()
                .body("deliveries[0].state", equalTo("SENT"))
                .body("deliveries[0].sentAt", org.hamcrest.Matchers.notNullValue());

        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications?template=incident-notification&size=500")
                .then().statusCode(200)
                .body("items.find { it.id == '" + id + "' }.deliveries.SENT", equalTo(1))
                .body("items.find { it.id == '" + id + "' }.deliveries.PENDING", equalTo(0));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications?size=0").then().statusCode(400)
                .contentType("application/problem+json");

        // The same idempotency key never sends twice.
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body(incident(key))
                .when().post("/api/v1/notifications").then().statusCode(200).body("id", equalTo(id));
        // The same key for another notification is refused, not answered with the earlier one.
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body(incident(key).replace("Investigating", "Resolved"))
                .when().post("/api/v1/notifications").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("use a new key"));
        dispatcher.dispatch();
        assertEquals(1, SmtpResource.server().messages().stream()
                .filter(m -> id.equals(m.header("X-LoopGPT-Notification"))).count());
    }

    @Test
    void anAddressSuppressedAfterAcceptanceIsNotMailed() {
        String key = "suppressed-later-" + UUID.randomUUID();
        String body = "{\"template\":\"incident-notification\",\"channels\":[\"email\"],\"audience\":\"team\","
                + "\"idempotencyKey\":\"" + key + "\",\"variables\":{\"date\":\"2026-11-26\",\"status\":\"Investigating\","
                + "\"estimatedResolution\":\"18:00 UTC\",\"affectedServices\":\"Orders\"}}";
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/notifications").then().statusCode(202)
                .body("deliveries[0].state", equalTo("PENDING")).extract().path("id");
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"address\":\"OPS@loopgpt.ai\",\"reason\":\"COMPLAINT\",\"note\":\"asked to stop\"}")
                .when().post("/api/v1/suppressions").then().statusCode(200);
        try {
            Deliveries.settle(dispatcher, id);
            assertEquals(0, SmtpResource.server().messages().stream()
                    .filter(m -> id.equals(m.header("X-LoopGPT-Notification"))).count());
            given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id).then()
                    .body("deliveries[0].state", equalTo("SUPPRESSED"))
                    .body("deliveries[0].lastError", org.hamcrest.Matchers.containsString("suppressed"));
        } finally {
            given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/suppressions/ops@loopgpt.ai").then().statusCode(204);
        }
    }

    @Test
    void deliveriesWaitWhileSmtpIsDownAndGoOnceItIsBack() throws Exception {
        SmtpServer smtp = SmtpResource.server();
        smtp.down();
        List<String> ids = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ids.add(given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                        .body(incident("outage-" + UUID.randomUUID()))
                        .when().post("/api/v1/notifications").then().statusCode(202).extract().path("id"));
            }
            dispatcher.dispatch();
            for (String id : ids) {
                given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id).then()
                        .body("deliveries[0].state", equalTo("PENDING"))
                        .body("deliveries[0].attempts", equalTo(1))
                        .body("deliveries[0].lastError", containsString("Connection"));
            }
        } finally {
            smtp.up();
        }
        Deliveries.until(dispatcher, () -> ids.stream().allMatch(id -> smtp.messages().stream()
                .anyMatch(m -> id.equals(m.header("X-LoopGPT-Notification")))));
        dispatcher.dispatch();
        for (String id : ids) {
            assertEquals(1, smtp.messages().stream().filter(m -> id.equals(m.header("X-LoopGPT-Notification"))).count(),
                    "delivered once");
            given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id).then()
                    .body("deliveries[0].state", equalTo("SENT"));
        }
    }

    @Test
    void aDeliveryThatKeepsFailingEndsDeadWithItsErrorAndCanBeRetried() throws Exception {
        SmtpServer smtp = SmtpResource.server();
        smtp.down();
        String id;
        try {
            id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body(incident("dead-" + UUID.randomUUID()))
                    .when().post("/api/v1/notifications").then().statusCode(202).extract().path("id");
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        dispatcher.dispatch();
                        return "DEAD".equals(given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id)
                                .then().extract().path("deliveries[0].state"));
                    });
            given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id).then()
                    .body("deliveries[0].attempts", equalTo(3))
                    .body("deliveries[0].lastError", containsString("Connection"));
        } finally {
            smtp.up();
        }
        given().auth().oauth2(Tokens.viewer()).when().post("/api/v1/notifications/" + id + "/retry").then().statusCode(403);
        given().auth().oauth2(Tokens.operator()).when().post("/api/v1/notifications/" + id + "/retry").then().statusCode(200);
        Deliveries.settle(dispatcher, id);
        assertEquals(1, smtp.messages().stream().filter(m -> id.equals(m.header("X-LoopGPT-Notification"))).count());
        given().auth().oauth2(Tokens.operator()).when().post("/api/v1/notifications/" + id + "/retry").then()
                .statusCode(409).contentType("application/problem+json");
        ai.loopgpt.dr.testing.Management.given().when().get("/q/metrics").then()
                .body(containsString("dr_notification_deliveries_total{channel=\"email\",outcome=\"dead\"}"))
                .body(containsString("dr_notification_queue_age_seconds"));
    }

    @Test
    void badSendsAreProblemsAndSendNothing() {
        send(Tokens.operator(), incident("bad-1").replace("incident-notification", "no-such"), 404, "incident-notification");
        send(Tokens.operator(), incident("bad-2").replace("\"estimatedResolution\":\"18:00 UTC\",", ""), 400, "estimatedResolution");
        send(Tokens.operator(), incident("bad-3").replace("on-call", "everyone"), 400, "on-call");
        send(Tokens.operator(), "{\"template\":", 400, "not valid JSON");
        send(Tokens.viewer(), incident("bad-4"), 403, "roles");
        dispatcher.dispatch();
        for (String key : List.of("bad-1", "bad-2", "bad-3", "bad-4")) {
            assertEquals(0, mailsWith(key).size());
        }
    }

    private static void send(String token, String body, int status, String detail) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/notifications").then()
                .statusCode(status).contentType("application/problem+json")
                .body("detail", containsString(detail));
    }
}
