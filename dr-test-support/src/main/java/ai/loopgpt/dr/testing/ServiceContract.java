package ai.loopgpt.dr.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every service of the suite promises, checked the same way for each: its schema migrated,
 * health UP, its own metrics named as Prometheus expects, problem+json for every kind of bad call,
 * and an audit record of every mutating call. A service's test extends this and names one read and
 * one operator action of its API, and its own metrics.
 */
public abstract class ServiceContract {

    /** A call to the service: method, path and JSON body (null for none). */
    public record Call(String method, String path, String body) {
    }

    /** The PostgreSQL schema the service owns. */
    protected abstract String schema();

    /** A read that a {@code dr-viewer} may make. */
    protected abstract Call viewerRead();

    /** A mutating call that a {@code dr-operator} may make and that succeeds. */
    protected abstract Call operatorAction();

    /**
     * The service's own metric families as {@code /q/metrics} exposes them (a timer's
     * {@code dr_backup_duration_seconds}, a counter's {@code dr_backup_failures_total}); a timer's or
     * summary's {@code <name>_max} gauge goes with it. Empty for a service with none.
     */
    protected abstract Set<String> ownMetrics();

    /**
     * Records one sample of each own metric that appears only once something happened (a backup
     * finished, a delivery failed), through the service's own code, so that the scrape shows it.
     */
    protected void recordOwnMetrics() {
    }

    private static ValidatableResponse send(RequestSpecification spec, Call call, String body) {
        if (body != null) {
            spec = spec.contentType(ContentType.JSON).body(body);
        }
        return spec.when().request(call.method(), call.path()).then();
    }

    private static void isProblem(ValidatableResponse response, int status) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("ai.loopgpt.")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void flywayMigratedTheServiceSchema() throws Exception {
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema()
                    + ".flyway_schema_history WHERE success")) {
                rs.next();
                assertTrue(rs.getInt(1) >= 2, "the shared and the service's own migrations ran");
            }
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + schema() + ".audit_log') IS NOT NULL")) {
                rs.next();
                assertTrue(rs.getBoolean(1), "audit_log lives in the service's own schema");
            }
        }
    }

    /** The readiness check that says the service can serve (its database, for most). */
    protected String readinessCheck() {
        return "Database";
    }

    @Test
    void healthIsUp() {
        Management.given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString(readinessCheck())));
        Management.given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsAndOpenApiAreServedOnTheManagementPortOnly() {
        Management.given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        Management.given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("openapi", notNullValue());
        for (String path : java.util.List.of("/q/metrics", "/q/openapi", "/q/health", "/q/health/ready")) {
            given().when().get(path).then().statusCode(404);
        }
    }

    /**
     * The service's own metrics, in a real scrape, pass {@code promtool check metrics}: a unit in every
     * name, {@code _total} on counters, help text. Exactly the families {@link #ownMetrics()} names are
     * exposed. What promtool says about Quarkus' and Micrometer's metrics is printed, not failed on.
     */
    @Test
    void ownMetricsPassPromtool() {
        recordOwnMetrics();
        // The classic text format, the one promtool reads (asked for nothing in particular, the service
        // answers OpenMetrics, whose HELP escaping promtool's text parser refuses).
        String scrape = Management.given().accept("text/plain; version=0.0.4").when().get("/q/metrics").then()
                .statusCode(200).extract().asString();
        Set<String> families = new TreeSet<>();
        scrape.lines().filter(l -> l.startsWith("# TYPE dr_")).forEach(l -> families.add(l.split(" ")[2]));
        Set<String> expected = new TreeSet<>(ownMetrics());
        families.removeIf(f -> f.endsWith("_max") && expected.contains(f.substring(0, f.length() - "_max".length())));
        assertEquals(expected, families, "the service's own metric families in /q/metrics (ownMetrics() lists them;"
                + " recordOwnMetrics() makes the lazy ones appear)");
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/metrics-scrape.txt"), scrape);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Promtool.Report report = Promtool.checkMetrics(scrape);
        List<String> unread = report.lines().stream().filter(l -> l.startsWith("error")).toList();
        assertTrue(unread.isEmpty(), "promtool could not read the scrape (so it checked nothing): " + unread);
        List<String> ours = report.about("dr_");
        List<String> others = report.lines().stream().filter(l -> !ours.contains(l)).toList();
        System.out.println("promtool check metrics: " + ours.size() + " problems with the service's own metrics, "
                + others.size() + " lines about third-party metrics" + (others.isEmpty() ? "" : ":\n  "
                + String.join("\n  ", others)));
        assertTrue(ours.isEmpty(), "promtool check metrics finds problems with the service's own metrics (rename"
                + " them, or give them a baseUnit/description):\n" + String.join("\n", ours));
    }

    /**
     * The served OpenAPI document (YAML, as clients are generated from it) is the one kept in
     * {@code docs/api/<service>.yaml}, byte for byte, and is the same when asked twice.
     */
    @Test
    void theServedOpenApiDocumentIsTheOneInDocsApi() {
        String served = Management.given().accept("application/yaml").when().get("/q/openapi").then().statusCode(200)
                .extract().asString();
        String again = Management.given().accept("application/yaml").when().get("/q/openapi").then().statusCode(200)
                .extract().asString();
        assertEquals(served, again, "the document is deterministic");
        ApiDocuments.assertServedIsKept(ConfigProvider.getConfig().getValue("quarkus.application.name", String.class),
                served);
    }

    @Test
    void aCallWithoutTokenIs401Problem() {
        ValidatableResponse response = send(given(), viewerRead(), null);
        isProblem(response, 401);
        response.header("WWW-Authenticate", containsString("Bearer"));
        isProblem(send(given(), operatorAction(), operatorAction().body()), 401);
    }

    @Test
    void aTokenFromAnotherIssuerIs401Problem() {
        isProblem(send(given().auth().oauth2(Tokens.forged("mallory", "dr-admin")), viewerRead(), null), 401);
    }

    @Test
    void aViewerOnAnOperatorActionIs403Problem() {
        Call action = operatorAction();
        isProblem(send(given().auth().oauth2(Tokens.viewer()), action, action.body()), 403);
    }

    @Test
    void malformedJsonIs400ProblemNamingTheProblem() {
        Call action = operatorAction();
        ValidatableResponse response = send(given().auth().oauth2(Tokens.operator()), action, "{\"broken\": ");
        isProblem(response, 400);
        response.body("detail", containsString("not valid JSON"));
        String cutInAString = action.body().substring(0, action.body().indexOf(':') + 3);
        ValidatableResponse cut = send(given().auth().oauth2(Tokens.operator()), action, cutInAString);
        isProblem(cut, 400);
        cut.body("detail", containsString("not valid JSON"));
        // "/" written in two bytes (C0 AF): a lenient decoder reads a slash the caller never visibly sent.
        byte[] overlong = {'{', '"', 'x', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        ValidatableResponse utf8 = given().auth().oauth2(Tokens.operator()).contentType("application/json")
                .body(overlong).when().request(action.method(), action.path()).then();
        isProblem(utf8, 400);
        utf8.body("detail", containsString("not valid UTF-8"));
    }

    @Test
    void duplicateKeysMediaTypeListsLineBreaksInFiltersAndExtremeDatesAreProblems() {
        Call action = operatorAction();
        java.util.regex.Matcher firstKey = java.util.regex.Pattern.compile("\\{\\s*(\"[A-Za-z]+\"\\s*:\\s*(\"[^\"]*\"|[^,}]+))")
                .matcher(action.body());
        if (firstKey.find()) {
            // {"status":"a","status":"b"}: which one counts is ambiguous; refused, naming the key.
            String twice = "{" + firstKey.group(1) + "," + action.body().substring(action.body().indexOf('{') + 1);
            ValidatableResponse duplicate = send(given().auth().oauth2(Tokens.operator()), action, twice);
            isProblem(duplicate, 400);
            duplicate.body("detail", containsString("Duplicate"));
        }
        isProblem(given().auth().oauth2(Tokens.operator()).header("Content-Type", "application/json, text/plain")
                .body(action.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).when().request(action.method(), action.path()).then(), 415);
        isProblem(given().auth().oauth2(Tokens.viewer()).queryParam("actor", "a\r\nb").when().get("/api/v1/audit").then(), 400);
        isProblem(given().auth().oauth2(Tokens.viewer()).urlEncodingEnabled(false).queryParam("actor", "%C0%AF")
                .when().get("/api/v1/audit").then(), 400);
        for (String extreme : java.util.List.of("0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z")) {
            isProblem(given().auth().oauth2(Tokens.viewer()).queryParam("until", extreme).when().get("/api/v1/audit")
                    .then(), 400);
        }
    }

    @Test
    void aTokenIssuedInTheFutureIs401Problem() {
        isProblem(send(given().auth().oauth2(Tokens.issuedAt(java.time.Instant.now().plusSeconds(3600), "early",
                "dr-admin")), viewerRead(), null), 401);
    }

    @Test
    void controlCharactersHugePagesAndOutOfRangeTimesAre400Problems() {
        RequestSpecification viewer = given().auth().oauth2(Tokens.viewer());
        isProblem(viewer.queryParam("actor", "a\u0000b").when().get("/api/v1/audit").then(), 400);
        isProblem(given().auth().oauth2(Tokens.viewer()).queryParam("page", "2147483647").when().get("/api/v1/audit")
                .then(), 400);
        isProblem(given().auth().oauth2(Tokens.viewer()).queryParam("since", "-999999999-01-01T00:00:00Z")
                .when().get("/api/v1/audit").then(), 400);
        isProblem(given().auth().oauth2(Tokens.viewer()).queryParam("since", "yesterday")
                .when().get("/api/v1/audit").then(), 400);
        Call action = operatorAction();
        java.util.regex.Matcher firstString = java.util.regex.Pattern.compile("(\"[A-Za-z]+\"\\s*:\\s*\")")
                .matcher(action.body());
        if (firstString.find()) {
            String withNul = action.body().substring(0, firstString.end()) + "a\\u0000b"
                    + action.body().substring(firstString.end());
            String actor = "nul-" + UUID.randomUUID() + "@loopgpt.test";
            ValidatableResponse refused = send(given().auth().oauth2(Tokens.as(actor, "dr-operator")), action, withNul);
            isProblem(refused, 400);
            // Refused as a control character, or as a value the field does not accept; never echoed raw.
            refused.body("detail", not(containsString("\u0000")));
            // The refused call is in the audit log all the same.
            given().auth().oauth2(Tokens.viewer()).queryParam("actor", actor).when().get("/api/v1/audit").then()
                    .statusCode(200).body("total", equalTo(1)).body("items[0].status", equalTo(400));
        }
    }

    /**
     * Every operation of the service's own OpenAPI document, sent bad input of every kind, without
     * and with a token of each role: a 4xx problem (or a documented success), never a 5xx; and every
     * refused mutating call is in the audit log.
     */
    @Test
    void everyOperationAnswersBadInputWithA4xxProblem() {
        JsonPath api = Management.given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        BadInputContract contract = new BadInputContract(api);
        contract.run();
        assertTrue(contract.requests() > 100, "the document lists the operations: " + contract.requests() + " requests");
        assertTrue(contract.failures().isEmpty(), contract.failures().size() + " of " + contract.requests()
                + " answers broke the contract:\n" + String.join("\n", contract.failures().subList(0,
                Math.min(60, contract.failures().size()))));
        int audited = given().auth().oauth2(Tokens.viewer()).queryParam("actor", contract.operatorActor())
                .queryParam("size", 1).when().get("/api/v1/audit").then().statusCode(200).extract().path("total");
        assertTrue(audited >= contract.refusedMutationsAsOperator(), "every refused mutating call is audited: "
                + audited + " records for " + contract.refusedMutationsAsOperator() + " refused calls");
    }

    @Test
    void anOverlongUriIsAProblemWithADetail() {
        isProblem(given().auth().oauth2(Tokens.viewer()).when().get(viewerRead().path() + "?q=" + "u".repeat(9000)).then(),
                414);
    }

    @Test
    void oversizedHeadersAreAProblemWithADetail() {
        isProblem(given().auth().oauth2(Tokens.viewer()).header("X-Padding", "p".repeat(30_000)).when()
                .get(viewerRead().path()).then(), 431);
    }

    /**
     * A body larger than the service accepts, declared up front (as curl sends a large file, waiting
     * for {@code 100 Continue}) or streamed in chunks: a 413 problem with a detail, never an empty answer.
     */
    @Test
    void aBodyOverTheLimitIsAProblemWithADetail() throws Exception {
        Call action = operatorAction();
        String head = action.method() + " " + action.path() + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + Tokens.operator() + "\r\nContent-Type: application/json\r\n";
        String declared = RawHttp.exchange(head + "Content-Length: 11000000\r\nExpect: 100-continue\r\n\r\n", 0);
        assertTrue(declared.startsWith("HTTP/1.1 413"), declared);
        assertTrue(declared.contains("application/problem+json") && declared.contains("\"detail\""), declared);

        String chunked = RawHttp.exchange(head + "Transfer-Encoding: chunked\r\n\r\n", 11 << 20);
        assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked);
        assertTrue(chunked.contains("application/problem+json") && chunked.contains("\"detail\""), chunked);
    }

    @Test
    void anUnknownPathIs404Problem() {
        isProblem(given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/no-such-thing").then(), 404);
    }

    @Test
    void theAuditLogRecordsAMutatingCallWithItsActor() {
        String actor = "auditor-" + UUID.randomUUID() + "@loopgpt.test";
        String requestId = "req-" + UUID.randomUUID();
        Call action = operatorAction();
        send(given().auth().oauth2(Tokens.as(actor, "dr-operator")).header("X-Request-Id", requestId),
                action, action.body())
                .statusCode(org.hamcrest.Matchers.lessThan(300))
                .header("X-Request-Id", requestId);
        send(given().auth().oauth2(Tokens.viewer()), action, action.body()).statusCode(403);

        var items = given().auth().oauth2(Tokens.viewer()).queryParam("actor", actor)
                .when().get("/api/v1/audit").then()
                .statusCode(200)
                .body("total", equalTo(1))
                .extract().jsonPath();
        assertEquals(actor, items.getString("items[0].actor"));
        assertEquals("dr-operator", items.getString("items[0].role"));
        assertEquals("SUCCEEDED", items.getString("items[0].outcome"));
        assertEquals(requestId, items.getString("items[0].requestId"));
        assertTrue(items.getString("items[0].action").startsWith(action.method() + " /api/"),
                items.getString("items[0].action"));
        assertEquals(action.path(), items.getString("items[0].target"));

        given().auth().oauth2(Tokens.viewer()).queryParam("outcome", "DENIED").queryParam("size", 500)
                .when().get("/api/v1/audit").then()
                .statusCode(200)
                .body("total", greaterThanOrEqualTo(1))
                .body("items.actor", hasItem("viewer@loopgpt.test"));
    }

    @Test
    void theAuditLogCannotBeRewritten() throws Exception {
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                Statement s = c.createStatement()) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.execute("DELETE FROM " + schema() + ".audit_log"));
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
    }
}
