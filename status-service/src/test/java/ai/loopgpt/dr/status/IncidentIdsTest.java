package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A caller that retries names its incident and update ids: the page shows each once. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class IncidentIdsTest {

    @Test
    void anIncidentOrUpdateSentTwiceWithItsIdIsOpenedOrPostedOnce() {
        String id = "r" + UUID.randomUUID().toString().replace("-", "");
        String incident = "{\"id\":\"" + id + "\",\"name\":\"Orders failing\",\"status\":\"investigating\","
                + "\"impact\":\"major\",\"body\":\"We are looking into it.\",\"components\":{\"orders\":\"major_outage\"}}";
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body(incident)
                    .when().post("/api/v1/incidents").then().statusCode(201).body("id", equalTo(id)).body("updates", equalTo(1));
        }
        String update = "{\"id\":\"u" + id.substring(1) + "\",\"status\":\"identified\",\"body\":\"Found it.\"}";
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body(update)
                    .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201).body("updates", equalTo(2));
        }
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"id\":\"Not-Valid\",\"name\":\"x\",\"status\":\"investigating\",\"impact\":\"minor\",\"body\":\"x\"}")
                .when().post("/api/v1/incidents").then().statusCode(400).contentType("application/problem+json");
        // Resolved again, for the other tests' page.
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body("{\"status\":\"resolved\",\"body\":\"Fixed.\"}")
                .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
    }
}
