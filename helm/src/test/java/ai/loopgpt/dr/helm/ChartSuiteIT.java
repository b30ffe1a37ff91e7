package ai.loopgpt.dr.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The suite as the chart ships it: the four packaged services started with the chart's rendered
 * default configuration (only addresses moved to this machine: the database, S3, the SMTP relay, the
 * target and destination servers, and the in-cluster URLs of the peers), then every CronJob's exact
 * arguments run through the packaged drctl, an incident declared with drctl's defaults, and
 * `drctl doctor`: each exits 0, every message the suite sends arrives, nothing is dead-lettered.
 */
class ChartSuiteIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> ORDER = List.of("notification-service", "status-service", "recovery-service", "backup-service");

    @Test
    void theDefaultsDeliverEveryCronJobAndEveryMessage() throws Exception {
        Instant began = Instant.now();
        EmbeddedPostgres pg = PostgresResource.server();
        EmbeddedS3 s3 = S3Resource.server();
        BackupServiceResource.environment(pg, s3); // the sample target database
        try (SmtpServer smtp = new SmtpServer()) {
            List<HasMetadata> objects = ChartIT.render(List.of(),
                    "database.jdbcUrl", pg.jdbcUrl(PostgresResource.SERVICE_DATABASE),
                    "s3.endpoint", s3.endpoint(), "s3.region", EmbeddedS3.REGION, "s3.bucket", S3Resource.BUCKET,
                    "backup.targets.loopgpt.host", pg.host(), "backup.targets.loopgpt.port", pg.port(),
                    "backup.targets.loopgpt.user", "loopgpt_app",
                    "recovery.destinations.loopgpt.host", pg.host(), "recovery.destinations.loopgpt.port", pg.port(),
                    "recovery.destinations.loopgpt.user", EmbeddedPostgres.SUPERUSER,
                    "recovery.destinations.scratch.host", pg.host(), "recovery.destinations.scratch.port", pg.port(),
                    "recovery.destinations.scratch.user", EmbeddedPostgres.SUPERUSER,
                    // The test's relay speaks plain SMTP (no STARTTLS) on a random port.
                    "notification.smtp.host", "127.0.0.1", "notification.smtp.port", smtp.port(),
                    "notification.smtp.startTls", "DISABLED");
            Map<String, String> secrets = RenderedService.secrets(s3);
            Path dir = ChartIT.ROOT.resolve("helm/target/chart-suite");

            // The in-cluster URL of each service, and where it runs here.
            Map<String, String> here = new LinkedHashMap<>();
            Map<String, Integer> ports = new HashMap<>();
            for (String module : ORDER) {
                int port = ServiceProcess.freePort();
                ports.put(module, port);
                here.put("http://dr-" + module + ":" + (8081 + ChartIT.SERVICES.indexOf(module)), "http://127.0.0.1:" + port);
            }
            List<ServiceProcess> started = new ArrayList<>();
            try {
                for (String module : ORDER) {
                    Map<String, String> env = RenderedService.environment(objects, module, secrets, dir);
                    Path config = Path.of(env.get("QUARKUS_CONFIG_LOCATIONS"));
                    String properties = Files.readString(config);
                    for (Map.Entry<String, String> url : here.entrySet()) {
                        properties = properties.replace(url.getKey(), url.getValue());
                    }
                    Files.writeString(config, properties);
                    // What the chart says, not what ServiceProcess assumes for a test.
                    env.remove("NOTIFY_PUBLIC_URL");
                    started.add(ServiceProcess.start(module, ports.get(module), true, url -> {
                        Map<String, String> all = new HashMap<>(env);
                        all.put("NOTIFY_PUBLIC_URL", "https://status.loopgpt.ai");
                        return all;
                    }));
                }
                Map<String, String> drctlEnv = new HashMap<>();
                Path token = Files.writeString(Files.createDirectories(dir).resolve("drctl.jwt"),
                        Tokens.as("system:serviceaccount:dr:drctl", "dr-service"));

                // Each CronJob, with its exact arguments and environment.
                List<CronJob> jobs = ChartIT.ofKind(objects, CronJob.class);
                assertEquals(4, jobs.size(), "backup, integrity, restore drill, game day: " + jobs);
                for (CronJob job : jobs) {
                    Container drctl = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
                    Map<String, String> env = new HashMap<>();
                    for (EnvVar var : drctl.getEnv()) {
                        env.put(var.getName(), here.getOrDefault(var.getValue(), var.getValue()));
                    }
                    env.put("DRCTL_TOKEN_FILE", token.toString());
                    env.put("DRCTL_CONFIG", dir.resolve("none.yaml").toString());
                    Run run = drctl(env, drctl.getArgs());
                    assertEquals(0, run.exit(), job.getMetadata().getName() + " " + drctl.getArgs() + ":\n" + run.output());
                }
                drctlEnv.put("DRCTL_BACKUP_URL", url(started, "backup-service"));
                drctlEnv.put("DRCTL_RECOVERY_URL", url(started, "recovery-service"));
                drctlEnv.put("DRCTL_NOTIFICATION_URL", url(started, "notification-service"));
                drctlEnv.put("DRCTL_STATUS_URL", url(started, "status-service"));
                drctlEnv.put("DRCTL_TOKEN_FILE", Files.writeString(dir.resolve("operator.jwt"), Tokens.operator()).toString());
                drctlEnv.put("DRCTL_CONFIG", dir.resolve("none.yaml").toString());

                Run doctor = drctl(drctlEnv, List.of("doctor"));
                assertEquals(0, doctor.exit(), doctor.output());
                assertFalse(doctor.output().contains("✗"), doctor.output());

                // The game day's messages go to the game-day audience (ops@ by default).
                awaitMails(smtp, "ops@loopgpt.ai", "", 1);
                long before = mailsTo(smtp, "ops@loopgpt.ai", "Service Issue");

                // An incident declared as the README says: the team gets the plan's Incident Notification.
                Run declared = drctl(drctlEnv, List.of("incident", "declare", "--title", "Orders database down",
                        "--scenario", "database-failure", "--severity", "MAJOR", "--component", "orders", "--target", "loopgpt"));
                assertEquals(0, declared.exit(), declared.output());
                awaitMails(smtp, "ops@loopgpt.ai", "Service Issue", before + 1);

                // Nothing the suite sent was refused or dead-lettered.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                List<String> notDelivered;
                do {
                    notDelivered = notDelivered(url(started, "notification-service"), began);
                } while (!notDelivered.isEmpty() && System.nanoTime() < deadline && sleep());
                assertTrue(notDelivered.isEmpty(), "every delivery SENT: " + notDelivered);
                for (ServiceProcess service : started) {
                    assertFalse(service.output().contains("dead-lettered"), service.log() + " has a dead letter");
                }
            } finally {
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).close();
                }
            }
        }
    }

    record Run(int exit, String output) {
    }

    static Run drctl(Map<String, String> env, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", ChartIT.ROOT.resolve("dr-cli/target/quarkus-app/quarkus-run.jar").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(15, TimeUnit.MINUTES), "drctl " + args + " finished");
        return new Run(process.exitValue(), output);
    }

    static String url(List<ServiceProcess> started, String module) {
        return started.get(ORDER.indexOf(module)).url();
    }

    /** Notifications created since {@code since} with a delivery not SENT (pending or dead). */
    static List<String> notDelivered(String notificationUrl, Instant since) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(notificationUrl
                        + "/api/v1/notifications?size=500")).header("Authorization", "Bearer " + Tokens.viewer()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<String> open = new ArrayList<>();
        for (JsonNode n : JSON.readTree(response.body()).path("items")) {
            if (Instant.parse(n.path("createdAt").asText()).isBefore(since)) {
                continue;
            }
            JsonNode counts = n.path("deliveries");
            if (counts.path("PENDING").asLong() > 0 || counts.path("DEAD").asLong() > 0) {
                open.add(n.path("template").asText() + " to " + n.path("audience").asText() + ": " + counts);
            }
        }
        return open;
    }

    static long mailsTo(SmtpServer smtp, String to, String subject) {
        return smtp.messages().stream().filter(m -> m.to().contains(to) && String.valueOf(m.header("Subject")).contains(subject))
                .count();
    }

    static void awaitMails(SmtpServer smtp, String to, String subject, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (mailsTo(smtp, to, subject) >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(count + " mail(s) to " + to + " about '" + subject + "' expected; got: "
                + smtp.messages().stream().map(m -> m.to() + " " + m.header("Subject")).toList());
    }

    private static boolean sleep() {
        try {
            Thread.sleep(500);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
