package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.FreezablePostgresResource;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.SmtpResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The service's own PostgreSQL frozen (every process SIGSTOPped) for about 30 seconds: reads and
 * writes answer 503 problem+json with Retry-After within seconds, never hang, and everything works
 * again by itself once the database runs again.
 */
@QuarkusTest
@WithTestResource(FreezablePostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SmtpResource.class)
class DatabaseFreezeTest {

    @Test
    void aFrozenDatabaseIsA503WithinSecondsAndEverythingRecoversOnItsOwn() {
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications").then().statusCode(200);
        FreezablePostgresResource.freeze();
        long frozenAt = System.nanoTime();
        try {
            for (int round = 0; round < 3; round++) {
                answersUnavailableQuickly(() -> given().auth().oauth2(Tokens.viewer())
                        .when().get("/api/v1/notifications").then());
                answersUnavailableQuickly(() -> given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                        .body(NotificationDeliveryTest.incident("frozen-" + UUID.randomUUID()))
                        .when().post("/api/v1/notifications").then());
            }
            long left = Duration.ofSeconds(30).toNanos() - (System.nanoTime() - frozenAt);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            FreezablePostgresResource.thaw();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications").statusCode() == 200);
        String key = "after-" + UUID.randomUUID();
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body(NotificationDeliveryTest.incident(key)).when().post("/api/v1/notifications").then().statusCode(202);
    }

    private static void answersUnavailableQuickly(Supplier<ValidatableResponse> call) {
        long start = System.nanoTime();
        call.get().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("database is not answering"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(12)) < 0, "answered in " + took);
    }
}
