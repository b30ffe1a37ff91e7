package ai.loopgpt.dr.backup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.alert.AlertService;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.MovableClock;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backup alerts reach the operators for real: a mail and a Slack message per episode through the
 * packaged notification-service, the internal Backups component degraded on the packaged
 * status-service, and one recovery message when it is over. Time is moved, not waited for.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(AlertPeersResource.class)
class AlertTest {

    @Inject
    AlertService alerts;

    @AfterEach
    void realTime() {
        MovableClock.INSTANCE.reset();
    }

    private static List<SmtpServer.Message> mails(String subject) {
        return AlertPeersResource.smtp().messages().stream()
                .filter(m -> m.to().contains(AlertPeersResource.OPERATORS) && m.header("Subject").equals(subject)).toList();
    }

    private static List<HttpReceiver.Request> slack(String text) {
        return AlertPeersResource.slack().requests("/slack/incidents").stream().filter(r -> r.body().contains(text)).toList();
    }

    private static String component() {
        return given().baseUri(AlertPeersResource.status().url()).auth().oauth2(Tokens.viewer()).when()
                .get("/api/v1/components").then().statusCode(200).extract().jsonPath()
                .getString("find { it.id == 'backups' }.status");
    }

    private static JsonPath backup() {
        JsonPath b = BackupTesting.awaitFinal(BackupTesting.request("{\"target\":\"alerted\",\"kind\":\"manual\"}"));
        assertEquals("SUCCEEDED", b.getString("phase"), b.prettify());
        return b;
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(condition);
    }

    @Test
    void anRpoBreachAlertsOnceWaitsForADownPeerAndEndsWithABackup() throws Exception {
        backup();
        alerts.checkAll();
        AlertPeersResource.notifications().kill();

        // An hour and a minute without a backup: past the plan's RPO.
        MovableClock.INSTANCE.advance(Duration.ofMinutes(61));
        alerts.checkAll();
        alerts.checkAll();
        await("the Backups component degraded", () -> "degraded_performance".equals(component()));
        given().auth().oauth2(Tokens.viewer()).queryParam("open", true).when().get("/api/v1/alerts").then()
                .statusCode(200).body("items.find { it.target == 'alerted' }.problem", equalTo("rpo-breach"));
        // notification-service is down: the alert waits in the outbox, saying why.
        await("the alert waiting", () -> given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/alerts/outbox")
                .then().extract().jsonPath().getList("items.lastError").stream().anyMatch(e -> e != null));
        assertTrue(mails("[LoopGPT DR] alerted: RPO breach").isEmpty());

        AlertPeersResource.notifications().restart();
        await("the alert mail", () -> mails("[LoopGPT DR] alerted: RPO breach").size() == 1);
        await("the Slack message", () -> slack("RPO breach").size() == 1);
        alerts.checkAll();
        Thread.sleep(3000);
        assertEquals(1, mails("[LoopGPT DR] alerted: RPO breach").size(), "one alert per episode");
        assertEquals(1, slack("RPO breach").size());
        // Internal: not on the public page.
        given().baseUri(AlertPeersResource.status().url()).when().get("/api/v2/summary.json").then().statusCode(200)
                .body("components.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("backups")));

        // A new backup ends it: one recovery message, the component operational again.
        backup();
        await("the recovery mail", () -> mails("[LoopGPT DR] alerted: resolved: RPO breach").size() == 1);
        await("the component operational", () -> "operational".equals(component()));
        assertTrue(mails("[LoopGPT DR] alerted: resolved: RPO breach").get(0).data().contains("within the RPO again"));
    }

    @Test
    void aFailedVerificationAlertsAndTheNextGoodOneRecovers() throws Exception {
        JsonPath damaged = backup();
        try (S3Client s3 = BackupTesting.s3()) {
            byte[] object = s3.getObjectAsBytes(g -> g.bucket(S3Resource.BUCKET).key(damaged.getString("objectKey")))
                    .asByteArray();
            object[object.length / 3] ^= 0x33;
            s3.putObject(p -> p.bucket(S3Resource.BUCKET).key(damaged.getString("objectKey")), RequestBody.fromBytes(object));
        }
        verify(damaged.getString("id"), "FAILED");
        await("the alert mail", () -> mails("[LoopGPT DR] alerted: Integrity verification failed").size() == 1);
        await("the Slack message", () -> slack("Integrity verification failed").size() == 1);
        assertTrue(mails("[LoopGPT DR] alerted: Integrity verification failed").get(0).data().contains("Checksum"));
        await("the Backups component degraded", () -> "degraded_performance".equals(component()));

        JsonPath good = backup();
        verify(good.getString("id"), "SUCCEEDED");
        await("the recovery mail", () -> mails("[LoopGPT DR] alerted: resolved: Integrity verification failed").size() == 1);
        await("the component operational", () -> "operational".equals(component()));
        assertEquals(1, mails("[LoopGPT DR] alerted: Integrity verification failed").size());
        assertFalse(AlertPeersResource.slack().requests("/slack/incidents").isEmpty());
    }

    private static void verify(String backupId, String expected) {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"type\":\"integrity\",\"target\":\"alerted\",\"backupId\":\"" + backupId + "\"}")
                .when().post("/api/v1/drills").then().statusCode(202).extract().path("id");
        JobPolling.awaitPhase(JobPolling.underTest("/api/v1/drills/" + id), Tokens.viewer(), List.of(expected),
                Duration.ofMinutes(1), Duration.ofMillis(300));
    }
}
