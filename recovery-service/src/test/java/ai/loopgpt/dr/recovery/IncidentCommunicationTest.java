package ai.loopgpt.dr.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.recovery.restore.DestinationsResource;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An incident tells people as the plan says: the public incident on the status page, the plan's
 * Incident and Resolution Notification emails, Slack #incidents, for the declaration, each update
 * and the resolution; a peer that is down delays its messages, never loses or doubles them.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
@WithTestResource(CommunicationPeersResource.class)
class IncidentCommunicationTest {

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(condition);
    }

    private static List<SmtpServer.Message> mails(String subjectStart) {
        return CommunicationPeersResource.smtp().messages().stream()
                .filter(m -> m.to().contains(CommunicationPeersResource.USERS) && m.header("Subject").startsWith(subjectStart))
                .toList();
    }

    private static List<HttpReceiver.Request> slack(String text) {
        return CommunicationPeersResource.slack().requests("/slack/incidents").stream()
                .filter(r -> r.body().contains(text)).toList();
    }

    private static List<HttpReceiver.Request> reminders(String title) {
        return slack(title).stream().filter(r -> r.body().contains("has had no update")).toList();
    }

    private static JsonPath publicIncident(String statusPageId) {
        return given().baseUri(CommunicationPeersResource.status().url()).auth().oauth2(Tokens.viewer()).when()
                .get("/api/v1/incidents/" + statusPageId).then().extract().jsonPath();
    }

    private static String declare(String title) {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"" + title + "\",\"scenario\":\"database-failure\",\"severity\":\"MAJOR\","
                        + "\"summary\":\"Orders cannot be saved.\",\"affectedComponents\":[\"orders\"]}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
    }

    private static JsonPath incident(String id) {
        return given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void declarationUpdatesAndResolutionReachThePageTheUsersAndTheTeam() {
        String title = "Orders database down " + UUID.randomUUID().toString().substring(0, 6);
        // Other incidents of this application (other tests) send the same kinds of messages: count this one's.
        int mailsBefore = mails("LoopGPT Service Issue - ").size();
        int slackBefore = slack("LoopGPT Service Issue").size();
        String id = declare(title);
        String pageId = incident(id).getString("statusPageId");

        await("the public incident", () -> title.equals(given().baseUri(CommunicationPeersResource.status().url())
                .when().get("/api/v2/incidents/unresolved.json").then().extract().jsonPath()
                .getString("incidents.find { it.id == '" + pageId + "' }.name")));
        await("the incident mail", () -> mails("LoopGPT Service Issue - ").stream().skip(mailsBefore)
                .anyMatch(m -> m.data().contains("orders")));
        await("Slack #incidents", () -> slack("LoopGPT Service Issue").size() > slackBefore);
        JsonPath declared = incident(id);
        assertTrue(declared.getLong("publishedAfterSeconds") <= 300, "visible within the plan's 5 minutes");

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"identified\",\"body\":\"A full disk on the primary.\"}")
                .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
        await("the update on the page", () -> publicIncident(pageId).getInt("updates") == 2);
        await("the update mail", () -> mails("[LoopGPT status] " + title + ": identified").size() == 1);
        await("the update on Slack", () -> !slack("A full disk on the primary.").isEmpty());

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"rootCause\":\"The disk filled up\",\"preventiveMeasures\":\"Disk alerts at 80 %\"}")
                .when().post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200);
        await("the public incident resolved", () -> "resolved".equals(publicIncident(pageId).getString("status")));
        await("the resolution mail", () -> mails("LoopGPT Service Restored - ").stream()
                .anyMatch(m -> m.data().contains("The disk filled up") && m.data().contains("Data Loss:")));
        await("the resolution on Slack", () -> !slack("Disk alerts at 80").isEmpty());
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/timeline").then()
                .body("kind", equalTo(List.of("declared", "update", "resolved")));

        // 49 hours on, no post-mortem completed: the team is reminded, once.
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.advance(Duration.ofHours(49));
        cadence.check();
        cadence.check();
        await("the overdue post-mortem reminder", () -> slack(title).stream()
                .filter(r -> r.body().contains("post-mortem is overdue")).count() == 1);
        cadence.check();
        assertEquals(1, slack(title).stream().filter(r -> r.body().contains("post-mortem is overdue")).count());
    }

    @jakarta.inject.Inject
    ai.loopgpt.dr.recovery.incident.IncidentCadence cadence;

    @org.junit.jupiter.api.AfterEach
    void realTime() {
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.reset();
    }

    @jakarta.inject.Inject
    ai.loopgpt.dr.recovery.outbox.DeliveryWatch deliveryWatch;

    private List<java.util.Map<String, Object>> messages(String id) {
        return given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/messages").then()
                .statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void theIncidentShowsWhichOfItsMessagesWereDeliveredAndWhichDied() {
        String id = declare("Orders queue stuck " + UUID.randomUUID().toString().substring(0, 6));
        await("every notification delivered", () -> {
            deliveryWatch.check();
            List<java.util.Map<String, Object>> notifications = messages(id).stream()
                    .filter(m -> "notification".equals(m.get("peer"))).toList();
            return notifications.size() >= 2 && notifications.stream().allMatch(m -> "delivered".equals(m.get("delivery")));
        });
        assertTrue(messages(id).stream().anyMatch(m -> "status".equals(m.get("peer")) && "sent".equals(m.get("state"))));

        // Slack revoked the team's webhook: the team's message dies at notification-service, and the incident says so.
        CommunicationPeersResource.slack().script("/slack/incidents", HttpReceiver.Answer.of(404, "no_service"));
        try {
            String dying = declare("Orders queue stuck again " + UUID.randomUUID().toString().substring(0, 6));
            await("the team's message dead", () -> {
                deliveryWatch.check();
                return messages(dying).stream().anyMatch(m -> "dead".equals(m.get("delivery")));
            });
            java.util.Map<String, Object> dead = messages(dying).stream().filter(m -> "dead".equals(m.get("delivery")))
                    .findFirst().orElseThrow();
            assertEquals("team", dead.get("audience"));
            assertTrue(String.valueOf(dead.get("deliveryDetail")).startsWith("slack: HTTP 404"), dead.toString());
            assertEquals("sent", dead.get("state"), "notification-service took it: only the delivery died");
        } finally {
            CommunicationPeersResource.slack().script("/slack/incidents", HttpReceiver.Answer.of(200, "ok"));
        }
    }

    @jakarta.inject.Inject
    ai.loopgpt.dr.recovery.outbox.PeerOutbox peerOutbox;

    @Test
    void aDeclarationSentAgainAfterACrashKeepsWhenThePageFirstShowedIt() {
        String title = "Orders replica lag " + UUID.randomUUID().toString().substring(0, 6);
        String id = declare(title);
        await("published", () -> incident(id).get("publishedAt") != null);
        java.time.Instant shown = java.time.Instant.parse(incident(id).getString("publishedAt"));
        // As a crash between the page's answer and marking the message sent leaves it: sent again later.
        UUID incidentId = UUID.fromString(id);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            ai.loopgpt.dr.recovery.outbox.PeerMessage.update("sentAt = null where incidentId = ?1 and publishes = true",
                    incidentId);
            ai.loopgpt.dr.recovery.incident.Incident.update("publishedAt = null where id = ?1", incidentId);
        });
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.advance(Duration.ofMinutes(40));
        peerOutbox.send();
        await("published again", () -> incident(id).get("publishedAt") != null);
        java.time.Instant again = java.time.Instant.parse(incident(id).getString("publishedAt"));
        assertTrue(Duration.between(shown, again).abs().toSeconds() < 5,
                "when the page first showed it (" + shown + "), not the resend (" + again + ")");
    }

    @Test
    void aComponentThePageDoesNotKnowIsRefusedAtDeclarationAndRolesReadEitherWay() {
        long before = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents").then()
                .extract().jsonPath().getLong("total");
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Search down\",\"scenario\":\"database-failure\",\"severity\":\"MAJOR\","
                        + "\"affectedComponents\":[\"orders\",\"search\"]}")
                .when().post("/api/v1/incidents").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("no component search"))
                .body("detail", org.hamcrest.Matchers.containsString("orders"));
        assertEquals(before, given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents").then()
                .extract().jsonPath().getLong("total"), "nothing stored");

        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Orders slow\",\"scenario\":\"database-failure\",\"severity\":\"MINOR\","
                        + "\"affectedComponents\":[\"orders\"],\"roles\":{\"incident-commander\":\"alice\","
                        + "\"technicalLead\":\"bob\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        assertEquals("alice", incident(id).getString("roles.incidentCommander"));
        assertEquals("bob", incident(id).getString("roles.technicalLead"));
    }

    @Test
    void thirtyMinutesWithoutAnUpdateRemindTheTeamOncePerGap() {
        String title = "Slow orders " + UUID.randomUUID().toString().substring(0, 6);
        String id = declare(title);
        cadence.check();
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.advance(Duration.ofMinutes(31));
        cadence.check();
        cadence.check();
        await("the reminder on Slack", () -> reminders(title).size() == 1);
        assertTrue(reminders(title).get(0).body().contains("We are still working on this issue"));
        assertTrue(reminders(title).get(0).body().contains("no update for 31 minutes"));
        cadence.check();
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"identified\",\"body\":\"Found a slow query.\"}")
                .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
        cadence.check();
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.advance(Duration.ofMinutes(31));
        cadence.check();
        await("the second gap's reminder", () -> reminders(title).size() == 2);
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/timeline").then()
                .body("kind", equalTo(List.of("declared", "reminder", "update", "reminder")));
    }

    @Test
    void aDataBreachRemindsAt24And48HoursAndStopsOnceBothNotificationsAreRecorded() {
        String title = "Leaked session tokens " + UUID.randomUUID().toString().substring(0, 6);
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"" + title + "\",\"scenario\":\"data-breach\",\"severity\":\"CRITICAL\"}")
                .when().post("/api/v1/incidents").then().statusCode(201)
                .body("breach.secondsLeft", org.hamcrest.Matchers.greaterThan(71 * 3600)).extract().path("id");
        java.util.function.Supplier<List<HttpReceiver.Request>> reminders = () -> slack(title).stream()
                .filter(r -> r.body().contains("left to notify") || r.body().contains("hours are left")).toList();
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.advance(Duration.ofHours(25));
        cadence.check();
        cadence.check();
        await("the 24-hour reminder", () -> reminders.get().size() == 1);
        assertTrue(reminders.get().get(0).body().contains("47 hours are left"), reminders.get().get(0).body());
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.advance(Duration.ofHours(24));
        cadence.check();
        await("the 48-hour reminder", () -> reminders.get().size() == 2);

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"note\":\"Filed with the DPA\"}")
                .when().post("/api/v1/incidents/" + id + "/steps/notify-authorities").then().statusCode(200);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"audience\":\"users\",\"dataConcerned\":\"email addresses\",\"actionsTaken\":\"tokens revoked\","
                        + "\"userActions\":\"sign in again\",\"contact\":\"privacy@loopgpt.ai\"}")
                .when().post("/api/v1/incidents/" + id + "/breach/notice").then().statusCode(202);
        await("the users' notice", () -> mails("Important security notice about your LoopGPT account").stream()
                .anyMatch(m -> m.data().contains("tokens revoked")));
        ai.loopgpt.dr.testing.MovableClock.INSTANCE.advance(Duration.ofHours(18));
        cadence.check();
        incident(id);
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id).then()
                .body("breach.authorityNotifiedAt", org.hamcrest.Matchers.notNullValue())
                .body("breach.usersNotifiedAt", org.hamcrest.Matchers.notNullValue());
        assertEquals(2, reminders.get().size(), "none after both notifications are recorded");
        // A breach notice belongs to a data breach only.
        String other = declare("Not a breach " + UUID.randomUUID().toString().substring(0, 6));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"audience\":\"users\",\"dataConcerned\":\"x\",\"actionsTaken\":\"x\",\"userActions\":\"x\","
                        + "\"contact\":\"x\"}")
                .when().post("/api/v1/incidents/" + other + "/breach/notice").then().statusCode(409);
    }

    @Test
    void aGameDayTellsOnlyTheDrillAudienceAndNeverThePublicPage() throws Exception {
        int usersBefore = mails("LoopGPT Service Issue - ").size();
        JsonPath gameDay = given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"scenario\":\"database-failure\"}").when().post("/api/v1/drills/game-days").then()
                .statusCode(201).extract().jsonPath();
        String id = gameDay.getString("id");
        String pageId = incident(id).getString("statusPageId");
        assertTrue(incident(id).getBoolean("drill"));
        await("the drill audience's mail", () -> CommunicationPeersResource.smtp().messages().stream()
                .anyMatch(m -> m.to().contains(CommunicationPeersResource.GAME_DAY)
                        && m.header("Subject").startsWith("LoopGPT Service Issue - ")));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"rootCause\":\"practice\"}")
                .when().post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200);
        await("the drill's resolution mail", () -> CommunicationPeersResource.smtp().messages().stream()
                .anyMatch(m -> m.to().contains(CommunicationPeersResource.GAME_DAY)
                        && m.header("Subject").startsWith("LoopGPT Service Restored - ")));
        Thread.sleep(2000);
        assertEquals(usersBefore, mails("LoopGPT Service Issue - ").size(), "no mail to the users");
        given().baseUri(CommunicationPeersResource.status().url()).auth().oauth2(Tokens.viewer()).when()
                .get("/api/v1/incidents/" + pageId).then().statusCode(404);
        assertEquals(null, incident(id).getString("publishedAt"));
    }

    @Test
    void peersDownWhileDeclaringDelayTheMessagesAndNothingIsSentTwice() throws Exception {
        // Sent from the first test, if it ran first: wait for them to settle before counting.
        Thread.sleep(3000);
        int mailsBefore = mails("LoopGPT Service Issue - ").size();
        int slackBefore = slack("LoopGPT Service Issue").size();
        CommunicationPeersResource.status().kill();
        CommunicationPeersResource.notifications().kill();
        String title = "Declared while the page is down " + UUID.randomUUID().toString().substring(0, 6);
        String id = declare(title);
        String pageId = incident(id).getString("statusPageId");
        Thread.sleep(3000);
        assertEquals(null, incident(id).getString("publishedAt"), "not visible while status-service is down");
        CommunicationPeersResource.status().restart();
        CommunicationPeersResource.notifications().restart();
        await("the public incident", () -> title.equals(publicIncident(pageId).getString("name")));
        await("published", () -> incident(id).getString("publishedAt") != null);
        Thread.sleep(3000);
        long pages = given().baseUri(CommunicationPeersResource.status().url()).auth().oauth2(Tokens.viewer())
                .when().get("/api/v1/incidents").then().extract().jsonPath()
                .getList("name").stream().filter(title::equals).count();
        assertEquals(1, pages, "opened once");
        await("the incident mail, once notification-service is back", () -> mails("LoopGPT Service Issue - ").size()
                > mailsBefore);
        await("the Slack message", () -> slack("LoopGPT Service Issue").size() > slackBefore);
        Thread.sleep(3000);
        assertEquals(mailsBefore + 1, mails("LoopGPT Service Issue - ").size(), "one incident mail");
        assertEquals(slackBefore + 1, slack("LoopGPT Service Issue").size(), "one Slack message");
    }
}
