package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, killed (SIGKILL) after accepting notifications and before delivering them,
 * then started again: every notification is delivered, once.
 */
class NotificationRestartIT {

    @Test
    void killingTheServiceBetweenAcceptanceAndDeliveryLosesNothing() throws Exception {
        try (SmtpServer smtp = new SmtpServer()) {
            smtp.down();
            Map<String, String> env = Map.of(
                    "QUARKUS_MAILER_HOST", "127.0.0.1",
                    "QUARKUS_MAILER_PORT", Integer.toString(smtp.port()),
                    "QUARKUS_MAILER_START_TLS", "DISABLED",
                    "QUARKUS_MAILER_TIMEOUT", "5s",
                    // Deliveries the killed process had claimed are taken over after this.
                    "NOTIFY_DELIVERY_LEASE", "5s",
                    "NOTIFY_DELIVERY_EVERY", "1s");
            try (ServiceProcess service = ServiceProcess.start("notification-service", env)) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    ids.add(given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                            .body(NotificationDeliveryTest.incident("restart-" + UUID.randomUUID()))
                            .when().post("/api/v1/notifications").then().statusCode(202).extract().path("id"));
                }
                // The relay is away: the dispatcher is failing and rescheduling them when the process dies.
                Thread.sleep(1500);
                service.kill();
                assertEquals(0, smtp.messages().size());

                smtp.up();
                service.restart();
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ids.stream().allMatch(id -> count(smtp, id) >= 1));
                Thread.sleep(2000);
                for (String id : ids) {
                    assertEquals(1, count(smtp, id), "notification " + id + " delivered once");
                    given().baseUri(service.url()).auth().oauth2(Tokens.viewer())
                            .when().get("/api/v1/notifications/" + id).then().statusCode(200)
                            .body("deliveries[0].state", org.hamcrest.Matchers.equalTo("SENT"));
                }
            }
        }
    }

    private static long count(SmtpServer smtp, String id) {
        return smtp.messages().stream().filter(m -> id.equals(m.header("X-LoopGPT-Notification"))).count();
    }
}
