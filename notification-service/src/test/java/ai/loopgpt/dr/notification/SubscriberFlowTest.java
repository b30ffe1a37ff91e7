package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.notification.delivery.Dispatcher;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.SmtpResource;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Subscribe → confirmation mail → confirm → receives the next update → one-click unsubscribe → nothing more. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(NotificationDeliveryTest.ManualDispatch.class)
class SubscriberFlowTest {

    @Inject
    Dispatcher dispatcher;

    static List<SmtpServer.Message> mailsTo(String address) {
        return SmtpResource.server().messages().stream().filter(m -> m.to().contains(address)).toList();
    }

    static void update(String key) {
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"template\":\"status-update\",\"channels\":[\"email\"],\"audience\":\"status-subscribers\","
                        + "\"components\":[\"orders\"],\"idempotencyKey\":\"" + key + "\",\"variables\":{\"incident\":"
                        + "\"Orders failing\",\"status\":\"identified\",\"body\":\"We found the cause (" + key + ").\","
                        + "\"affectedServices\":\"orders\",\"link\":\"https://status.loopgpt.ai/incidents/x\"}}")
                .when().post("/api/v1/notifications").then().statusCode(202);
    }

    @Test
    void theWholeSubscriptionLifecycle() {
        String address = "sub-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        given().contentType(ContentType.JSON).body("{\"email\":\"" + address + "\",\"components\":[\"orders\"]}")
                .when().post("/api/v1/subscribers").then().statusCode(202)
                .body("message", containsString("If the address"));
        Deliveries.until(dispatcher, () -> !mailsTo(address).isEmpty());
        List<SmtpServer.Message> confirmation = mailsTo(address);
        assertEquals(1, confirmation.size());
        assertEquals("Confirm your LoopGPT status updates", confirmation.get(0).header("Subject"));
        Matcher link = Pattern.compile("(http://\\S+/api/v1/subscribers/confirm\\?token=[A-Za-z0-9_-]+)")
                .matcher(confirmation.get(0).data().replace("=\r\n", ""));
        assertTrue(link.find(), confirmation.get(0).data());
        String confirm = URI.create(link.group(1)).getRawQuery();

        update("before-confirm-" + UUID.randomUUID());
        dispatcher.dispatch();
        assertEquals(1, mailsTo(address).size(), "nothing before confirming");

        // Following the link (as a mail scanner would) only shows a button; pressing it confirms.
        given().when().get("/api/v1/subscribers/confirm?" + confirm).then().statusCode(200)
                .body(containsString("<form method=\"post\""))
                // The page's URL holds a token: never a referrer, never cached, no script, never framed.
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        update("after-link-followed-" + UUID.randomUUID());
        dispatcher.dispatch();
        assertEquals(1, mailsTo(address).size(), "a followed link confirms nothing");
        given().when().post("/api/v1/subscribers/confirm?" + confirm).then().statusCode(200)
                .body(containsString("confirmed"));
        given().when().post("/api/v1/subscribers/confirm?" + confirm).then().statusCode(404);

        String key = "after-confirm-" + UUID.randomUUID();
        update(key);
        Deliveries.until(dispatcher, () -> mailsTo(address).stream().anyMatch(m -> m.data().contains(key)));
        List<SmtpServer.Message> updates = mailsTo(address).stream().filter(m -> m.data().contains(key)).toList();
        assertEquals(1, updates.size());
        String listUnsubscribe = updates.get(0).header("List-Unsubscribe");
        assertEquals("List-Unsubscribe=One-Click", updates.get(0).header("List-Unsubscribe-Post"));
        String unsubscribe = listUnsubscribe.substring(1, listUnsubscribe.length() - 1);

        given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .when().post(URI.create(unsubscribe).getPath() + "?" + URI.create(unsubscribe).getRawQuery())
                .then().statusCode(200).body(containsString("Unsubscribed"));
        String after = "after-unsubscribe-" + UUID.randomUUID();
        update(after);
        dispatcher.dispatch();
        assertEquals(0, mailsTo(address).stream().filter(m -> m.data().contains(after)).count(), "nothing more");
    }

    /**
     * The database holds nothing that opens a subscription: neither the confirmation token nor the
     * unsubscribe token of a mail appears in it; a token for the same subscriber made without the
     * key is refused; a link mailed before links were keyed (its token kept only as a SHA-256) works.
     */
    @Test
    void tokensAreNotInTheDatabaseAndCannotBeForged() throws Exception {
        String address = "keyed-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        given().contentType(ContentType.JSON).body("{\"email\":\"" + address + "\",\"components\":[\"orders\"]}")
                .when().post("/api/v1/subscribers").then().statusCode(202);
        Deliveries.until(dispatcher, () -> !mailsTo(address).isEmpty());
        Matcher link = Pattern.compile("confirm\\?token=([A-Za-z0-9_-]+)").matcher(mailsTo(address).get(0).data().replace("=\r\n", ""));
        assertTrue(link.find());
        String confirmToken = link.group(1);
        assertTrue(!rowText(address).contains(confirmToken), "the confirmation token is stored hashed");
        given().when().post("/api/v1/subscribers/confirm?token=" + confirmToken).then().statusCode(200);

        String key = "keyed-update-" + UUID.randomUUID();
        update(key);
        Deliveries.until(dispatcher, () -> mailsTo(address).stream().anyMatch(m -> m.data().contains(key)));
        String header = mailsTo(address).stream().filter(m -> m.data().contains(key)).findFirst().orElseThrow()
                .header("List-Unsubscribe");
        String unsubscribeToken = header.substring(header.indexOf("token=") + 6, header.length() - 1);
        assertTrue(!rowText(address).contains(unsubscribeToken), "the unsubscribe token is not in the database");

        // The same subscriber id with a MAC made by someone without the key.
        byte[] raw = java.util.Base64.getUrlDecoder().decode(unsubscribeToken);
        raw[raw.length - 1] ^= 1;
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        // The answer is the same whatever the token (it reveals nothing); the subscription tells.
        given().when().post("/api/v1/subscribers/unsubscribe?token=" + forged).then().statusCode(200);
        assertTrue(rowText(address).contains("CONFIRMED"), "a forged token unsubscribes nobody: " + rowText(address));
        given().when().post("/api/v1/subscribers/unsubscribe?token=" + unsubscribeToken).then().statusCode(200)
                .body(containsString("Unsubscribed"));
        assertTrue(rowText(address).contains("UNSUBSCRIBED"));

        // A subscriber whose mails carried a random token before links were keyed.
        String legacyAddress = "legacy-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String legacyToken = "legacy" + UUID.randomUUID().toString().replace("-", "");
        try (java.sql.Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO notification.subscriber (id, email, "
                        + "components, state, legacy_unsubscribe_hash, created_at, confirmed_at) VALUES (?, ?, 'orders', "
                        + "'CONFIRMED', encode(sha256(convert_to(?, 'UTF8')), 'hex'), now(), now())")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, legacyAddress);
            insert.setString(3, legacyToken);
            insert.executeUpdate();
        }
        given().when().post("/api/v1/subscribers/unsubscribe?token=" + legacyToken).then().statusCode(200);
        assertTrue(rowText(legacyAddress).contains("UNSUBSCRIBED"));
    }

    /** Every column of the subscriber row of {@code address}, as text. */
    private static String rowText(String address) throws Exception {
        try (java.sql.Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                java.sql.PreparedStatement q = c.prepareStatement(
                        "SELECT s::text FROM notification.subscriber s WHERE lower(email) = ?")) {
            q.setString(1, address);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), "a row for " + address);
                return rs.getString(1);
            }
        }
    }

    @Test
    void answersDoNotRevealWhoIsSubscribedAndBadAddressesAreRefused() {
        String address = "twice-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String first = given().contentType(ContentType.JSON).body("{\"email\":\"" + address + "\"}")
                .when().post("/api/v1/subscribers").then().statusCode(202).extract().asString();
        String second = given().contentType(ContentType.JSON).body("{\"email\":\"" + address + "\"}")
                .when().post("/api/v1/subscribers").then().statusCode(202).extract().asString();
        assertEquals(first, second);
        for (String bad : List.of("not-an-address", "a@b", "<a>@example.com", "x@example.com\\r\\nBcc: y@example.com")) {
            given().contentType(ContentType.JSON).body("{\"email\":\"" + bad + "\"}")
                    .when().post("/api/v1/subscribers").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("email"));
        }
        given().contentType(ContentType.JSON).body("{\"email\":\"ok@example.com\",\"components\":[null]}")
                .when().post("/api/v1/subscribers").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void plusAddressesOfOneMailboxShareItsConfirmationLimit() {
        String local = "plus-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 8; i++) {
            given().contentType(ContentType.JSON).body("{\"email\":\"" + local + "+" + i + "@example.com\",\"components\":[\"orders\"]}")
                    .when().post("/api/v1/subscribers").then().statusCode(202);
        }
        java.util.function.Supplier<Long> toMailbox = () -> SmtpResource.server().messages().stream()
                .filter(m -> m.to().stream().anyMatch(to -> to.startsWith(local + "+"))).count();
        Deliveries.until(dispatcher, () -> toMailbox.get() >= 3);
        dispatcher.dispatch();
        assertEquals(3, toMailbox.get(), "one mailbox gets notify.subscribers.confirmations-per-address mails, whatever its +tags");
    }

    @Test
    void fiftyRequestsForOneAddressSendAFewMailsAndNeverChangeAConfirmedChoice() {
        String address = "target-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        for (int i = 0; i < 50; i++) {
            // Case and white-space variants are the same address.
            String variant = i % 3 == 0 ? address.toUpperCase() : i % 3 == 1 ? "  " + address + " " : address;
            given().contentType(ContentType.JSON).body("{\"email\":\"" + variant + "\",\"components\":[\"orders\"]}")
                    .when().post("/api/v1/subscribers").then().statusCode(202);
        }
        Deliveries.until(dispatcher, () -> mailsTo(address).size() >= 3);
        dispatcher.dispatch();
        assertEquals(3, mailsTo(address).size(), "at most notify.subscribers.confirmations-per-address mails");

        // Each mail replaces the one before: exactly one of the three links confirms.
        int confirmed = 0;
        for (SmtpServer.Message mail : mailsTo(address)) {
            Matcher link = Pattern.compile("(http://\\S+/api/v1/subscribers/confirm\\?token=[A-Za-z0-9_-]+)")
                    .matcher(mail.data().replace("=\r\n", ""));
            assertTrue(link.find());
            int status = given().when().post("/api/v1/subscribers/confirm?" + URI.create(link.group(1)).getRawQuery())
                    .then().extract().statusCode();
            confirmed += status == 200 ? 1 : 0;
        }
        assertEquals(1, confirmed);

        // Someone else asks for other components for that address: nothing changes, no mail (limit reached).
        given().contentType(ContentType.JSON).body("{\"email\":\"" + address + "\",\"components\":[\"api\"]}")
                .when().post("/api/v1/subscribers").then().statusCode(202);
        String key = "still-orders-" + UUID.randomUUID();
        update(key);
        Deliveries.until(dispatcher, () -> mailsTo(address).stream().anyMatch(m -> m.data().contains(key)));
        assertEquals(4, mailsTo(address).size(), "the orders update, and no new confirmation");
    }
}
