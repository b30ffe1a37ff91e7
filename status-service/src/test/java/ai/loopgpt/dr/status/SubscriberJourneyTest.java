package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The whole way, across services: the status page's subscribe form → the real notification-service
 * (its packaged jar, a child process) → confirmation mail at a real SMTP server → confirm → an
 * incident on the page reaches the subscriber by mail → one-click unsubscribe → nothing more.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SubscriberJourneyTest.NotificationService.class)
class SubscriberJourneyTest {

    static SmtpServer smtp;
    static ai.loopgpt.dr.testing.HttpReceiver slack;
    static ServiceProcess notifications;

    /** The packaged notification-service, mailing through an SMTP server on loopback. */
    public static class NotificationService implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                smtp = new SmtpServer();
                slack = new ai.loopgpt.dr.testing.HttpReceiver();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // This status-service on a port known in advance: notification-service reports dead letters to it.
            int port = ServiceProcess.freePort();
            notifications = ServiceProcess.start("notification-service", url -> Map.of(
                    "QUARKUS_MAILER_HOST", "127.0.0.1",
                    "QUARKUS_MAILER_PORT", Integer.toString(smtp.port()),
                    "QUARKUS_MAILER_START_TLS", "DISABLED",
                    "QUARKUS_MAILER_TIMEOUT", "5s",
                    "NOTIFY_PUBLIC_URL", url,
                    "NOTIFY_SLACK__OPS__WEBHOOK_URL", slack.url("/slack/ops"),
                    "NOTIFY_AUDIENCES__OPERATORS__SLACK", "ops",
                    "NOTIFY_STATUS_URL", "http://127.0.0.1:" + port,
                    "NOTIFY_STATUS_TOKEN", Tokens.service(),
                    "NOTIFY_STATUS_EVERY", "1s"));
            return Map.of("quarkus.rest-client.notification-service.url", notifications.url(),
                    "status.notification-service.token", Tokens.service(),
                    "status.outbox.every", "1s",
                    "quarkus.http.test-port", Integer.toString(port));
        }

        @Override
        public void stop() {
            try {
                notifications.close();
                smtp.close();
                slack.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static List<SmtpServer.Message> mailsTo(String address) {
        return smtp.messages().stream().filter(m -> m.to().contains(address)).toList();
    }

    static void awaitMail(String address, String containing) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> mailsTo(address).stream().anyMatch(m -> m.data().contains(containing)));
    }

    static int outboxPending() throws Exception {
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM status.outbox WHERE delivered_at IS NULL AND dead_at IS NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void subscribeConfirmReceiveTheNextIncidentUnsubscribeAndReceiveNothingMore() throws Exception {
        String address = "journey-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("email", address).formParam("components", "orders")
                .when().post("/subscribe").then().statusCode(303);

        awaitMail(address, "confirm");
        SmtpServer.Message confirmation = mailsTo(address).get(0);
        assertEquals("Confirm your LoopGPT status updates", confirmation.header("Subject"));
        Matcher link = Pattern.compile("(http://\\S+/api/v1/subscribers/confirm\\?token=[A-Za-z0-9_-]+)")
                .matcher(confirmation.data().replace("=\r\n", ""));
        assertTrue(link.find(), confirmation.data());
        given().when().post(URI.create(link.group(1))).then().statusCode(200).body(containsString("confirmed"));

        String name = "Orders failing " + UUID.randomUUID().toString().substring(0, 6);
        String incident = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"status\":\"investigating\",\"impact\":\"major\","
                        + "\"body\":\"Orders cannot be placed.\",\"components\":{\"orders\":\"major_outage\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        awaitMail(address, name);
        SmtpServer.Message update = mailsTo(address).stream().filter(m -> m.data().contains(name)).findFirst().orElseThrow();
        assertEquals("List-Unsubscribe=One-Click", update.header("List-Unsubscribe-Post"));
        String unsubscribe = update.header("List-Unsubscribe");
        unsubscribe = unsubscribe.substring(1, unsubscribe.length() - 1);

        // What a mail client does for RFC 8058 one-click unsubscribe.
        given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .when().post(URI.create(unsubscribe)).then().statusCode(200);

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"resolved\",\"body\":\"Orders are flowing again (after unsubscribe).\","
                        + "\"components\":{\"orders\":\"operational\"}}")
                .when().post("/api/v1/incidents/" + incident + "/updates").then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> outboxPending() == 0);
        Thread.sleep(3000);
        assertEquals(0, mailsTo(address).stream().filter(m -> m.data().contains("after unsubscribe")).count(), "nothing more");
        assertEquals(2, mailsTo(address).size(), "the confirmation and the one incident mail");
    }

    static String notificationsComponent() {
        return given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/components").then().statusCode(200)
                .extract().path("find { it.id == 'notifications' }.status");
    }

    /**
     * An alert that dies undelivered (the operators' Slack webhook is gone) raises the internal
     * Notifications component, unseen on the public page; sent again once the webhook works, the
     * component is operational again.
     */
    @Test
    void aDeadLetteredAlertRaisesTheNotificationsComponentUntilItIsDelivered() {
        slack.script("/slack/ops", ai.loopgpt.dr.testing.HttpReceiver.Answer.of(404, "no_service"));
        assertEquals("operational", notificationsComponent());
        String id = given().baseUri(notifications.url()).auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"template\":\"incident-notification\",\"audience\":\"operators\",\"idempotencyKey\":\"dead-"
                        + UUID.randomUUID() + "\",\"variables\":{\"date\":\"2026-12-06\",\"status\":\"Investigating\","
                        + "\"estimatedResolution\":\"18:00 UTC\",\"affectedServices\":\"Orders\"}}")
                .when().post("/api/v1/notifications").then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(notifications.url())
                .auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                .extract().path("deliveries.find { it.channel == 'slack' }.state"), "DEAD"::equals);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(SubscriberJourneyTest::notificationsComponent,
                "degraded_performance"::equals);
        given().when().get("/api/v2/components.json").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("Notifications")));

        slack.script("/slack/ops", ai.loopgpt.dr.testing.HttpReceiver.Answer.of(200, "ok"));
        given().baseUri(notifications.url()).auth().oauth2(Tokens.operator()).when()
                .post("/api/v1/notifications/" + id + "/retry").then().statusCode(200);
        // A retried delivery is no longer dead as soon as it is queued again: the component may recover
        // before the post is sent, so the post is awaited on its own.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(SubscriberJourneyTest::notificationsComponent,
                "operational"::equals);
        Awaitility.await("the alert reached Slack once the webhook worked").atMost(Duration.ofSeconds(30))
                .until(() -> slack.requests("/slack/ops").size() >= 2);
    }
}
