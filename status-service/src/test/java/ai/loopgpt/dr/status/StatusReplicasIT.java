package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two packaged status-service replicas on one database, both configured to probe an API that is
 * down, with the real notification-service mailing a confirmed subscriber: one incident is opened,
 * one mail goes out for it. When the replica leading the probes dies, the other one takes over.
 */
class StatusReplicasIT {

    @Test
    void twoReplicasWithAFailingProbeOpenOneIncidentAndSendOneMail() throws Exception {
        // The API probed: a socket held but not answering (so that no other process can take its port
        // while the test runs), answering once the API is back.
        ServerSocket api = new ServerSocket(0, 1);
        int closedPort = api.getLocalPort();
        String address = "replicas@example.com";
        try (SmtpServer smtp = new SmtpServer();
                ServiceProcess notifications = ServiceProcess.start("notification-service", url -> Map.of(
                        "QUARKUS_MAILER_HOST", "127.0.0.1",
                        "QUARKUS_MAILER_PORT", Integer.toString(smtp.port()),
                        "QUARKUS_MAILER_START_TLS", "DISABLED",
                        "QUARKUS_MAILER_TIMEOUT", "5s",
                        "NOTIFY_DELIVERY_EVERY", "1s",
                        "NOTIFY_PUBLIC_URL", url))) {
            given().baseUri(notifications.url()).contentType(ContentType.JSON)
                    .body("{\"email\":\"" + address + "\",\"components\":[\"api\"]}")
                    .when().post("/api/v1/subscribers").then().statusCode(202);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> !mailsTo(smtp, address).isEmpty());
            Matcher link = Pattern.compile("(http://\\S+/api/v1/subscribers/confirm\\?token=[A-Za-z0-9_-]+)")
                    .matcher(mailsTo(smtp, address).get(0).data().replace("=\r\n", ""));
            assertTrue(link.find());
            given().when().post(URI.create(link.group(1))).then().statusCode(200);

            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL", notifications.url());
            env.put("STATUS_NOTIFICATION_SERVICE_TOKEN", Tokens.service());
            env.put("STATUS_OUTBOX_EVERY", "1s");
            env.put("STATUS_PROBES__API__URL", "http://127.0.0.1:" + closedPort + "/health");
            env.put("STATUS_PROBES__API__INTERVAL", "PT1S");
            env.put("STATUS_PROBES__API__FAILURES_TO_OPEN", "2");
            try (ServiceProcess first = ServiceProcess.start("status-service", env);
                    ServiceProcess second = ServiceProcess.start("status-service", env)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> probeIncidents() >= 1);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> mailsTo(smtp, address).stream().anyMatch(m -> m.data().contains("not responding")));
                // Both replicas have probed many times over.
                Thread.sleep(8000);
                assertEquals(1, probeIncidents(), "one incident for one failing API");
                assertEquals(1, mailsTo(smtp, address).stream().filter(m -> m.data().contains("not responding")).count(),
                        "one mail for it");
                // The other replica serves it too, once it has rebuilt its page (on a change it made itself,
                // and every 10 s for changes made by another replica): a CPU-starved run can take longer.
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> given().baseUri(second.url()).when().get("/api/v2/incidents/unresolved.json").then()
                                .statusCode(200).extract().jsonPath().getList("incidents").size() == 1);

                // The replica leading the probes dies; the other one takes the lead and resolves the incident.
                ServiceProcess leader = first.output().contains("now leads status-probes") ? first : second;
                ServiceProcess other = leader == first ? second : first;
                leader.kill();
                try (api) {
                    Thread server = new Thread(() -> answerOk(api), "api");
                    server.setDaemon(true);
                    server.start();
                    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> given().baseUri(other.url()).when().get("/api/v2/incidents/unresolved.json")
                                    .then().extract().jsonPath().getList("incidents").isEmpty());
                }
                assertTrue(other.output().contains("now leads status-probes"), "the other replica took over");
                assertEquals(1, probeIncidents());
            }
        }
    }

    private static void answerOk(ServerSocket server) {
        while (!server.isClosed()) {
            try (var socket = server.accept()) {
                socket.getInputStream().read(new byte[4096]);
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                // Closed at the end of the test.
            }
        }
    }

    private static List<SmtpServer.Message> mailsTo(SmtpServer smtp, String address) {
        return smtp.messages().stream().filter(m -> m.to().contains(address)).toList();
    }

    private static int probeIncidents() throws Exception {
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM status.incident WHERE opened_by_probe = 'api'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
