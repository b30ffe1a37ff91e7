package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The public HTML page, history, incident pages and Atom feed, server-rendered without JavaScript. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class PublicPageTest {

    @Test
    void thePageShowsTheBannerGroupsUptimeAndAvailability() {
        given().when().get("/").then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", containsString("max-age"))
                .body(containsString("id=\"banner\""))
                .body(containsString("Providers"))
                .body(containsString("Instacart"))
                .body(containsString("uptime over 90 days"))
                .body(containsString("id=\"availability\""))
                .body(containsString("99.900 %"))
                .body(containsString("name=\"viewport\""))
                .body(not(containsString("<script")));
        int bytes = given().when().get("/").then().extract().asByteArray().length;
        assertEquals(true, bytes < 200_000, "light on bytes: " + bytes);
    }

    @Test
    void anActiveIncidentAndItsTimelineAreShownAndGetTheirOwnPage() throws Exception {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Food search slow <b>\",\"status\":\"investigating\",\"impact\":\"minor\","
                        + "\"body\":\"Searches take 10 s.\",\"components\":{\"food-search\":\"degraded_performance\","
                        + "\"orders\":\"degraded_performance\",\"backups\":\"degraded_performance\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        // Named as the page names them, in page order; the internal Backups component is not public.
        String affected = "This incident affected: Food search and Orders.";
        given().when().get("/").then()
                .body(containsString("Active incidents"))
                .body(containsString("Food search slow &lt;b&gt;"))
                .body(containsString("Searches take 10 s."))
                .body(containsString("Degraded performance"))
                .body(containsString(affected));
        given().when().get("/incidents/" + id).then().statusCode(200).body(containsString("Searches take 10 s."))
                .body(containsString(affected));

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"resolved\",\"body\":\"Search is fast again.\"}")
                .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
        given().when().get("/history").then().statusCode(200).body(containsString("Search is fast again."))
                .body(containsString(affected));
        given().when().get("/").then().body(not(containsString("Food search slow")));

        byte[] atom = given().when().get("/history.atom").then().statusCode(200)
                .contentType(containsString("application/atom+xml")).extract().asByteArray();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document feed = factory.newDocumentBuilder().parse(new ByteArrayInputStream(atom));
        assertEquals("feed", feed.getDocumentElement().getLocalName());
        assertEquals(true, feed.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry").getLength() >= 1);
        given().when().get("/incidents/nope").then().statusCode(404);
    }

    @Test
    void badgesShowThePageAndEachPublicComponentAsSvgWithATextAlternative() throws Exception {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"major_outage\"}")
                .when().put("/api/v1/components/cdn/status").then().statusCode(200);
        try {
            String badge = Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> given().when()
                    .get("/components/cdn/badge.svg").then().statusCode(200).contentType("image/svg+xml")
                    .extract().asString(), svg -> svg.contains("CDN: Major outage"));
            Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(badge.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals("svg", svg.getDocumentElement().getTagName());
            assertEquals("img", svg.getDocumentElement().getAttribute("role"));
            assertEquals("CDN: Major outage", svg.getElementsByTagName("title").item(0).getTextContent());
            assertEquals(true, badge.contains("#c62828"), badge);
            String page = given().when().get("/badge.svg").then().statusCode(200).contentType("image/svg+xml")
                    .extract().asString();
            assertEquals(true, page.contains("<title>status: ") && !page.contains("All Systems Operational"), page);
        } finally {
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"operational\"}")
                    .when().put("/api/v1/components/cdn/status").then().statusCode(200);
        }
        // Internal components and unknown ones have no badge.
        given().when().get("/components/backups/badge.svg").then().statusCode(404);
        given().when().get("/components/nope/badge.svg").then().statusCode(404);
    }

    @Test
    void everyPublicAnswerCarriesSecurityAndCdnHeaders() {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Headers check\",\"status\":\"investigating\",\"impact\":\"minor\","
                        + "\"body\":\"Checking.\",\"components\":{\"api\":\"degraded_performance\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                given().when().get("/incidents/" + id).statusCode() == 200);
        for (String path : java.util.List.of("/", "/incidents/" + id, "/history", "/history.atom",
                "/api/v2/summary.json", "/api/v2/incidents.json", "/badge.svg", "/components/api/badge.svg",
                "/incidents/nope")) {
            io.restassured.response.ValidatableResponse answer = given().when().get(path).then()
                    .header("Content-Security-Policy", containsString("default-src 'none'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", not(containsString("script-src")))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "strict-origin-when-cross-origin");
            if (!path.endsWith("nope")) {
                answer.statusCode(200)
                        .header("Cache-Control", containsString("max-age=10"))
                        .header("Cache-Control", containsString("stale-while-revalidate="))
                        .header("Cache-Control", containsString("stale-if-error="))
                        .header("ETag", org.hamcrest.Matchers.notNullValue());
            }
        }
        given().when().get("/api/v2/summary.json").then().header("Access-Control-Allow-Origin", "*");
        // HEAD, as monitors and CDNs send it: the same headers, no body.
        for (String path : java.util.List.of("/", "/incidents/" + id, "/history.atom", "/api/v2/summary.json")) {
            byte[] body = given().when().head(path).then().statusCode(200)
                    .header("ETag", org.hamcrest.Matchers.notNullValue())
                    .header("Content-Security-Policy", containsString("default-src 'none'"))
                    .extract().asByteArray();
            org.junit.jupiter.api.Assertions.assertEquals(0, body.length, path);
        }
        given().header("Origin", "https://example.org").header("Access-Control-Request-Method", "GET")
                .when().options("/api/v2/summary.json").then().statusCode(204)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", containsString("GET"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"resolved\",\"body\":\"Done.\"}")
                .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
    }

    @Test
    void anUnchangedPageIsNotSentTwice() {
        String etag = given().when().get("/").then().extract().header("ETag");
        given().header("If-None-Match", etag).when().get("/").then().statusCode(304);
        given().when().get("/").then().header("X-Snapshot-Age", Integer::parseInt, lessThan(60));
    }
}
