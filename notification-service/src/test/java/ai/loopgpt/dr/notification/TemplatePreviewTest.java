package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The plan's emails, rendered without sending: every placeholder filled, or a 400 naming the missing one. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class TemplatePreviewTest {

    @Test
    void theIncidentNotificationHasThePlansSubjectAndEveryPlaceholderFilled() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"variables\":{\"date\":\"2026-11-26\",\"status\":\"Investigating\",\"estimatedResolution\":\"18:00 UTC\","
                        + "\"affectedServices\":\"Orders <checkout>\"}}")
                .when().post("/api/v1/templates/incident-notification/preview").then()
                .statusCode(200)
                .body("subject", equalTo("LoopGPT Service Issue - 2026-11-26"))
                .body("text", containsString("Current Status: Investigating"))
                .body("text", containsString("Estimated Resolution: 18:00 UTC"))
                .body("text", containsString("Affected Services: Orders <checkout>"))
                .body("text", not(containsString("{")))
                .body("html", containsString("Orders &lt;checkout&gt;"))
                .body("html", containsString("<td>18:00 UTC</td>"));
    }

    @Test
    void theResolutionNotificationHasThePlansSubject() {
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"variables\":{\"date\":\"2026-11-26\",\"duration\":\"1 h 12 min\",\"dataLoss\":\"none\",\"rootCause\":\"A bad deploy\","
                        + "\"preventiveMeasures\":\"Canary releases\"}}")
                .when().post("/api/v1/templates/resolution-notification/preview").then()
                .statusCode(200)
                .body("subject", equalTo("LoopGPT Service Restored - 2026-11-26"))
                .body("text", containsString("Incident Duration: 1 h 12 min"))
                .body("text", containsString("Data Loss: none"))
                .body("text", containsString("Root Cause: A bad deploy"))
                .body("text", containsString("Preventive Measures: Canary releases"));
    }

    @Test
    void aMissingVariableIsA400ThatNamesIt() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"variables\":{\"date\":\"2026-11-26\",\"status\":\"Investigating\",\"affectedServices\":\"Orders\"}}")
                .when().post("/api/v1/templates/incident-notification/preview").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("estimatedResolution"))
                .body("errors[0].field", equalTo("variables.estimatedResolution"));
        for (String link : java.util.List.of("javascript:alert(1)", "data:text/html,x", "https://x.example/\\\"onmouseover=")) {
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"variables\":{\"link\":\"" + link + "\"}}")
                    .when().post("/api/v1/templates/subscription-confirmation/preview").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("variables.link"));
        }
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"variables\":{\"link\":\"https://status.loopgpt.ai/x\"}}")
                .when().post("/api/v1/templates/subscription-confirmation/preview").then().statusCode(200);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"variables\":{}}")
                .when().post("/api/v1/templates/no-such-template/preview").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("incident-notification"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/templates").then()
                .statusCode(200)
                .body("name", hasItems("incident-notification", "resolution-notification", "status-update",
                        "data-breach-notice", "backup-failure-alert"));
    }
}
