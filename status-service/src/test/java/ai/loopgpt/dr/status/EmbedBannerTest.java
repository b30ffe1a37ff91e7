package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.HeadlessChromium;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The plan's in-app banner: the LoopGPT app, on another origin and under a strict Content-Security-Policy,
 * includes /embed/banner.js; a real headless Chromium shows the open incident at the top of the app's
 * page with a link to it, and nothing once it is resolved.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class EmbedBannerTest {

    private static final String BANNER = "var b = document.getElementById('loopgpt-status-banner');"
            + " return b ? b.textContent + ' | ' + b.querySelector('a').href + ' | ' + getComputedStyle(b).backgroundColor : '';";

    @TestHTTPResource("/")
    URL page;

    @Test
    void theScriptIsSmallCachedAndLoadableFromAnyOrigin() {
        byte[] script = given().when().get("/embed/banner.js").then().statusCode(200)
                .contentType(containsString("text/javascript")).header("Cross-Origin-Resource-Policy", "cross-origin")
                .header("Cache-Control", containsString("max-age")).header("ETag", org.hamcrest.Matchers.notNullValue())
                .extract().asByteArray();
        assertTrue(script.length < 5 * 1024, "under 5 KB: " + script.length);
        String text = new String(script, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!text.contains("innerHTML") && !text.contains("eval("), "names are written as text, nothing evaluated");
    }

    @Test
    void anotherOriginsPageShowsTheOpenIncidentAndNothingOnceItIsResolved() throws Exception {
        String status = "http://127.0.0.1:" + page.getPort();
        String id = null;
        try (HttpReceiver app = new HttpReceiver(); HeadlessChromium browser = HeadlessChromium.start(1200, 800)) {
            app.script("/app", new HttpReceiver.Answer(200, "<!DOCTYPE html><html lang=\"en\"><head><title>LoopGPT</title>"
                    + "</head><body><h1>Meal plans</h1><script src=\"" + status + "/embed/banner.js\" async></script>"
                    + "</body></html>", Map.of("Content-Type", "text/html; charset=utf-8", "Content-Security-Policy",
                    "default-src 'none'; script-src " + status + "; connect-src " + status)));

            // All well: the script asked the page and shows nothing.
            browser.open(app.url("/app"));
            awaitAsked(browser, status);
            assertEquals("", browser.script(BANNER).asText());

            id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"name\":\"Meal plans fail to load\",\"status\":\"investigating\",\"impact\":\"major\","
                            + "\"body\":\"Looking into it.\",\"components\":{\"api\":\"partial_outage\"}}")
                    .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
            String shown = Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> reload(browser, app, status), text -> !text.isEmpty());
            assertTrue(shown.startsWith("Meal plans fail to load — status page | " + status + "/incidents/" + id), shown);
            assertTrue(!shown.endsWith("rgba(0, 0, 0, 0)"), "styled under the app's CSP: " + shown);
            assertEquals("Meal plans", browser.text("h1"), "the app's own page is still there");

            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"status\":\"resolved\",\"body\":\"Fixed.\"}")
                    .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
            id = null;
            Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> reload(browser, app, status), String::isEmpty);
        } finally {
            if (id != null) {
                // Other tests share the page.
                given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                        .body("{\"status\":\"resolved\",\"body\":\"Fixed.\"}")
                        .when().post("/api/v1/incidents/" + id + "/updates");
            }
        }
    }

    /** The app's page loaded again, once the banner has asked the status page: what the banner shows. */
    private static String reload(HeadlessChromium browser, HttpReceiver app, String status) throws Exception {
        browser.open(app.url("/app"));
        awaitAsked(browser, status);
        return browser.script(BANNER).asText();
    }

    private static void awaitAsked(HeadlessChromium browser, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> browser
                .script("return performance.getEntriesByName('" + status + "/api/v2/summary.json').length;").asInt() > 0);
        // The answer is read and the banner drawn right after the request ends.
        Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    }
}
