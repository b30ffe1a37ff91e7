package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.HeadlessChromium;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The status page in a real headless Chromium: banner, a component group and an active incident; fits 320 px. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class PageInBrowserTest {

    @TestHTTPResource("/")
    URL page;

    @Test
    void aBrowserShowsTheBannerAGroupAndAnActiveIncident() throws Exception {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Checkout errors\",\"status\":\"investigating\",\"impact\":\"major\","
                        + "\"body\":\"Some orders fail at checkout.\",\"components\":{\"orders\":\"partial_outage\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");

        try {
            look(id);
        } finally {
            // Whatever happens, the incident is resolved: other tests share the page.
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"status\":\"resolved\",\"body\":\"Fixed.\"}")
                    .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
        }
    }

    private void look(String id) throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(1200, 2400)) {
            browser.open(page.toString());
            assertEquals("Partial System Outage", browser.text("#banner"));
            assertTrue(browser.text("section.group h3").startsWith("Core"), browser.text("section.group h3"));
            assertTrue(browser.count("section.group") >= 4);
            assertTrue(browser.text("article.incident h3").contains("Checkout errors"));
            Path shot = browser.screenshot(Path.of("target/screenshots/status-page.png"));
            assertTrue(Files.size(shot) > 10_000, "a real screenshot");
        }
        try (HeadlessChromium phone = HeadlessChromium.start(320, 900)) {
            phone.open(page.toString());
            int width = phone.script("return document.documentElement.scrollWidth;").asInt();
            assertTrue(width <= 320, "no horizontal scrolling at 320 px: " + width);
            phone.screenshot(Path.of("target/screenshots/status-page-320.png"));
        }
    }
}
