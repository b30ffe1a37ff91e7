package ai.loopgpt.dr.backup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
class TargetResourceTest {

    @Test
    void listsTheConfiguredTargetsWithoutTheirPasswords() {
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets").then()
                .statusCode(200)
                .body("name", hasItems("loopgpt", "wrong-password"))
                .body(not(containsString(SampleTargetResource.PASSWORD)));
    }

    @Test
    void aCheckOfTheSampleDatabaseFindsItDumpable() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .when().post("/api/v1/targets/loopgpt/checks").then()
                .statusCode(200)
                .body("reachable", equalTo(true))
                .body("serverVersion", startsWith("15."))
                .body("databaseBytes", greaterThan(0))
                .body("dumpable", equalTo(true))
                .body("problem", nullValue());
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/loopgpt").then()
                .body("lastCheck.dumpable", equalTo(true));
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/targets/wrong-password/checks").then()
                .statusCode(200)
                .body("reachable", equalTo(false))
                .body("dumpable", equalTo(false))
                .body("problem", allOf(containsString("password authentication failed"),
                        not(containsString(SampleTargetResource.PASSWORD))));
    }

    @Test
    void unknownTargetsAndBadOptionsAreProblems() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .when().post("/api/v1/targets/nope/checks").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("loopgpt"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"timeoutSeconds\": 0}")
                .when().post("/api/v1/targets/loopgpt/checks").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("timeoutSeconds"));
    }
}
