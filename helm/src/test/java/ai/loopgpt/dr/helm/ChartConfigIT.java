package ai.loopgpt.dr.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration the chart renders starts the real service beyond the defaults: notification-service
 * with a Slack channel and an audience using it is run with its rendered application.properties
 * (through quarkus.config.locations, as in the pod) and the environment its Deployment gives it, the
 * Secrets' values standing in for the referenced keys. A property the service does not know, or a
 * Secret's variable that maps to nothing, fails here rather than in a cluster. (Every service with
 * the chart's defaults starts, backs up, restores and mails in {@link ChartSuiteIT}.)
 */
class ChartConfigIT {

    @Test
    void notificationServiceStartsWithARenderedSlackChannelAndAudience() throws Exception {
        EmbeddedPostgres pg = PostgresResource.server();
        EmbeddedS3 s3 = S3Resource.server();
        BackupServiceResource.environment(pg, s3); // the sample target databases
        List<HasMetadata> objects = ChartIT.render(List.of(),
                "database.jdbcUrl", pg.jdbcUrl(PostgresResource.SERVICE_DATABASE),
                "auth.issuer", "https://auth.loopgpt.local",
                "s3.endpoint", s3.endpoint(), "s3.region", EmbeddedS3.REGION, "s3.bucket", S3Resource.BUCKET,
                "backup.targets.loopgpt.host", pg.host(), "backup.targets.loopgpt.port", pg.port(),
                "backup.targets.loopgpt.user", "loopgpt_app",
                "recovery.destinations.loopgpt.host", pg.host(), "recovery.destinations.loopgpt.port", pg.port(),
                "recovery.destinations.loopgpt.user", EmbeddedPostgres.SUPERUSER,
                "notification.smtp.host", "127.0.0.1", "notification.smtp.port", 2525,
                "notification.slackChannels[0]", "incidents",
                "notification.audiences.team.slack", "incidents");
        Map<String, String> secrets = new HashMap<>(RenderedService.secrets(s3));
        secrets.put("loopgpt-dr-slack/incidents", "http://127.0.0.1:9/slack");
        Path dir = ChartIT.ROOT.resolve("helm/target/rendered-config");
        String module = "notification-service";
        Map<String, String> env = RenderedService.environment(objects, module, secrets, dir);
        try (ServiceProcess process = ServiceProcess.start(module, env)) {
            assertTrue(process.output().contains("started in"), process.output());
            // The channel's webhook URL came from the Secret's variable: the audience reaches Slack.
            HttpResponse<String> audiences = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(process.url() + "/api/v1/audiences"))
                    .header("Authorization", "Bearer " + Tokens.viewer()).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, audiences.statusCode(), audiences.body());
            assertTrue(audiences.body().replace(" ", "").contains("\"slack\""), audiences.body());
        }
    }
}
