package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.status.page.PageSnapshot;
import ai.loopgpt.dr.status.service.ResponseTimes;
import ai.loopgpt.dr.testing.HeadlessChromium;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Probes of a real HTTP server on loopback keep their response times; the page shows them as charts
 * whose numbers are the stored ones, in a real headless Chromium at 1280 and 320 px; old response
 * times are deleted, so the table stays bounded; two writers at once lose nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(ResponseTimeTest.SlowService.class)
class ResponseTimeTest {

    /** Answers milliseconds per check of food-search. */
    static final long[] DELAYS = {40, 80, 120, 400};

    /**
     * "Food search": answers its first checks after {@link #DELAYS}, then holds the next one until the
     * test ends, so that exactly those response times are kept (the probe waits for its answer).
     */
    public static class SlowService implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger ASKED = new AtomicInteger();
        static final CountDownLatch RELEASE = new CountDownLatch(1);
        static HttpServer server;

        @Override
        public java.util.Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/health", exchange -> {
                int n = ASKED.getAndIncrement();
                try {
                    if (n < DELAYS.length) {
                        Thread.sleep(DELAYS[n]);
                    } else {
                        RELEASE.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return java.util.Map.of(
                    "status.probes.\"food-search\".url", "http://127.0.0.1:" + server.getAddress().getPort() + "/health",
                    "status.probes.\"food-search\".interval", "PT1S",
                    // The held check waits, and then fails, without touching the component.
                    "status.probes.\"food-search\".latency-threshold", "PT20S",
                    "status.probes.\"food-search\".failures-to-open", "1000",
                    // The test prunes by itself.
                    "status.response-times.prune-every", "off");
        }

        @Override
        public void stop() {
            RELEASE.countDown();
            server.stop(0);
        }
    }

    @TestHTTPResource("/")
    URL page;

    @Inject
    PageSnapshot snapshot;

    @Inject
    ResponseTimes responseTimes;

    /** What is stored for a component in buckets of {@code seconds}: {samples, total, highest, rows}. */
    static long[] stored(String componentId, int seconds) throws Exception {
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(samples), 0), coalesce(sum(total_millis), 0),"
                        + " coalesce(max(max_millis), 0), count(*) FROM status.response_time"
                        + " WHERE component_id = ? AND bucket_seconds = ?")) {
            s.setString(1, componentId);
            s.setInt(2, seconds);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }
    }

    /** Waits for the answered checks of food-search to be kept, and the page to be rebuilt with them. */
    private long[] measured() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> stored("food-search", 86400)[0] == DELAYS.length);
        snapshot.rebuild();
        return stored("food-search", 900);
    }

    private static final Pattern SUMMARY = Pattern.compile(
            "<desc id=\"rt-food-search-(24h|90d)-desc\">Average (\\d+) ms over the last (?:24 hours|90 days), highest (\\d+) ms[.;]");

    @Test
    void theChartsShowTheMeasuredResponseTimesOfProbedComponentsOnly() throws Exception {
        long[] quarterHours = measured();
        assertEquals(DELAYS.length, quarterHours[0], "the four answered checks, no more: the fifth is held");
        assertTrue(quarterHours[2] >= 400 && quarterHours[1] >= 640, "at least as slow as the server: "
                + java.util.Arrays.toString(quarterHours));
        assertEquals(quarterHours[1], stored("food-search", 86400)[1], "the same checks in the day's bucket");
        long average = Math.round((double) quarterHours[1] / quarterHours[0]);

        String html = given().when().get("/").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'none'"))
                .extract().asString();
        Matcher m = SUMMARY.matcher(html);
        List<String> periods = new ArrayList<>();
        while (m.find()) {
            periods.add(m.group(1));
            assertEquals(average, Long.parseLong(m.group(2)), m.group());
            assertEquals(quarterHours[2], Long.parseLong(m.group(3)), m.group());
        }
        assertEquals(List.of("24h", "90d"), periods, "both charts of Food search carry the numbers in words");
        assertTrue(html.contains("Response time over the last 24 hours: average " + average + " ms, highest "
                + quarterHours[2] + " ms</figcaption>"), "and print them");
        assertTrue(html.contains("<figure class=\"rt\" id=\"response-time-food-search-24h\">"));
        // Components without a probe have no chart; no script anywhere.
        assertFalse(html.contains("id=\"response-time-api-"));
        assertEquals(2, html.split("<svg ", -1).length - 1, "two charts on the page, for the one probed component");
        assertFalse(html.contains("<script"));
    }

    @Test
    void oldResponseTimesAreDeletedSoTheTableStaysBounded() throws Exception {
        Instant now = Instant.now();
        ResponseTimes.Period quarter = ResponseTimes.Period.LAST_24_HOURS;
        ResponseTimes.Period day = ResponseTimes.Period.LAST_90_DAYS;
        // A long-running page: 300 quarter-hours and 400 days of orders' response times.
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                PreparedStatement s = c.prepareStatement("INSERT INTO status.response_time"
                        + " (component_id, bucket_seconds, bucket_start, samples, total_millis, max_millis)"
                        + " VALUES ('orders', ?, ?, 1, 100, 100) ON CONFLICT DO NOTHING")) {
            for (int i = 0; i < 300; i++) {
                s.setInt(1, 900);
                s.setTimestamp(2, Timestamp.from(quarter.bucketOf(now).minus(quarter.bucket().multipliedBy(i))));
                s.addBatch();
            }
            for (int i = 0; i < 400; i++) {
                s.setInt(1, 86400);
                s.setTimestamp(2, Timestamp.from(day.bucketOf(now).minus(day.bucket().multipliedBy(i))));
                s.addBatch();
            }
            s.executeBatch();
        }
        assertEquals(300, stored("orders", 900)[3]);
        assertEquals(400, stored("orders", 86400)[3]);

        assertTrue(responseTimes.prune(now) >= 300 - 96 + 400 - 90);
        assertEquals(96, stored("orders", 900)[3], "24 hours of quarter-hours");
        assertEquals(90, stored("orders", 86400)[3], "90 days");
        assertEquals(0, responseTimes.prune(now), "a second replica pruning finds nothing left");
    }

    @Test
    void twoWritersAtOnceAddToTheSameBucketsWithoutLosingAnAnswer() throws Exception {
        Instant at = Instant.now();
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                writes.add(replicas.submit(() -> {
                    for (int i = 1; i <= 25; i++) {
                        responseTimes.record("shipt", at, i);
                    }
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            replicas.shutdownNow();
        }
        for (int seconds : new int[] {900, 86400}) {
            long[] kept = stored("shipt", seconds);
            assertEquals(50, kept[0]);
            assertEquals(2 * (25 * 26 / 2), kept[1]);
            assertEquals(25, kept[2]);
            assertEquals(1, kept[3], "one bucket");
        }
    }

    /** Where an element is drawn, and how wide the page is. */
    private static JsonNode box(HeadlessChromium browser, String css) throws Exception {
        return browser.script("var e = document.querySelector('" + css + "'); if (!e) return null;"
                + " var r = e.getBoundingClientRect(); return {width: r.width, height: r.height, left: r.left, right: r.right,"
                + " viewport: window.innerWidth, scroll: document.documentElement.scrollWidth};");
    }

    private static void assertDrawnInside(HeadlessChromium browser, String css, String where) throws Exception {
        JsonNode box = box(browser, css);
        assertTrue(box != null && !box.isNull(), css + " is on the page " + where);
        assertTrue(box.path("width").asDouble() > 0 && box.path("height").asDouble() > 0, css + " has a size " + where + ": " + box);
        assertTrue(box.path("left").asDouble() >= 0 && box.path("right").asDouble() <= box.path("viewport").asDouble(),
                css + " inside the window " + where + ": " + box);
    }

    @Test
    void aBrowserDrawsTheChartsAndBadgesAt1280And320PxAndTheIncidentPageNamesWhatItAffected() throws Exception {
        measured();
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Slow checkout\",\"status\":\"investigating\",\"impact\":\"minor\","
                        + "\"body\":\"Orders take long.\",\"components\":{\"orders\":\"degraded_performance\","
                        + "\"api\":\"degraded_performance\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        try {
            for (int width : new int[] {1280, 320}) {
                String where = "at " + width + " px";
                try (HeadlessChromium browser = HeadlessChromium.start(width, 2400)) {
                    browser.open(page.toString());
                    for (String period : List.of("24h", "90d")) {
                        assertDrawnInside(browser, "#response-time-food-search-" + period + " svg", where);
                        assertTrue(browser.script("return document.querySelector('#response-time-food-search-" + period
                                + " svg desc').textContent;").asText().startsWith("Average "), where);
                    }
                    JsonNode pageBox = box(browser, "main");
                    assertTrue(pageBox.path("scroll").asInt() <= pageBox.path("viewport").asInt(),
                            "no horizontal scrolling " + where + ": " + pageBox);
                    browser.screenshot(Path.of("target/screenshots/response-time-" + width + ".png"));

                    for (String badge : List.of("/badge.svg", "/components/food-search/badge.svg", "/components/orders/badge.svg")) {
                        browser.open(page.toString().replaceAll("/$", "") + badge);
                        assertDrawnInside(browser, "svg", where + " (" + badge + ")");
                    }

                    browser.open(page.toString().replaceAll("/$", "") + "/incidents/" + id);
                    assertEquals("This incident affected: API and Orders.", browser.text("p.affected"), where);
                    JsonNode incident = box(browser, "article.incident");
                    assertTrue(incident.path("scroll").asInt() <= incident.path("viewport").asInt(),
                            "no horizontal scrolling on the incident page " + where + ": " + incident);
                }
            }
        } finally {
            // Other tests share the page.
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"status\":\"resolved\",\"body\":\"Fixed.\"}")
                    .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
        }
    }
}
