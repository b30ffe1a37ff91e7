package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.SampleDatabase;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The peers backup alerts go to, for real: a mail server and a Slack webhook receiver, the packaged
 * notification-service (audience {@code operators}: an address and Slack {@code #incidents}) and the
 * packaged status-service (with its internal Backups component). One target only, {@code alerted},
 * so that the component's state is this test's alone.
 */
public class AlertPeersResource implements QuarkusTestResourceLifecycleManager {

    static final String OPERATORS = "operators@loopgpt.test";
    static final String PASSWORD = java.util.UUID.randomUUID().toString();
    static SmtpServer smtp;
    static HttpReceiver slack;
    static ServiceProcess notifications;
    static ServiceProcess status;

    @Override
    public Map<String, String> start() {
        try {
            smtp = new SmtpServer();
            slack = new HttpReceiver();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> notify = new HashMap<>();
        notify.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        notify.put("QUARKUS_MAILER_PORT", Integer.toString(smtp.port()));
        notify.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        notify.put("QUARKUS_MAILER_TIMEOUT", "5s");
        notify.put("NOTIFY_DELIVERY_EVERY", "1s");
        notify.put("NOTIFY_SLACK__INCIDENTS__WEBHOOK_URL", slack.url("/slack/incidents"));
        notify.put("NOTIFY_AUDIENCES__OPERATORS__EMAIL", OPERATORS);
        notify.put("NOTIFY_AUDIENCES__OPERATORS__SLACK", "incidents");
        notifications = ServiceProcess.start("notification-service", notify);
        status = ServiceProcess.start("status-service", Map.of("QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL",
                notifications.url(), "STATUS_NOTIFICATION_SERVICE_TOKEN", Tokens.service()));

        EmbeddedPostgres pg = PostgresResource.server();
        pg.ensureDatabase("alerted", "loopgpt_app", PASSWORD);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("alerted"), "loopgpt_app", PASSWORD)) {
            SampleDatabase.populate(c, 50);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("backup.targets.\"alerted\".host", pg.host());
        config.put("backup.targets.\"alerted\".port", Integer.toString(pg.port()));
        config.put("backup.targets.\"alerted\".database", "alerted");
        config.put("backup.targets.\"alerted\".user", "loopgpt_app");
        config.put("backup.targets.\"alerted\".password", PASSWORD);
        config.put("backup.storage.part-size-mib", "5");
        config.put("backup.alerts.notification-url", notifications.url());
        config.put("backup.alerts.status-url", status.url());
        config.put("backup.alerts.token", Tokens.as("system:serviceaccount:dr:backup-service", "dr-service"));
        config.put("backup.alerts.audience", "operators");
        // The test runs the checks itself, at the times it sets.
        config.put("backup.alerts.every", "off");
        config.put("backup.alerts.outbox-every", "1s");
        return config;
    }

    @Override
    public void stop() {
        try {
            if (status != null) {
                status.close();
            }
            if (notifications != null) {
                notifications.close();
            }
            if (slack != null) {
                slack.close();
            }
            if (smtp != null) {
                smtp.close();
            }
        } catch (Exception e) {
            // Test teardown.
        }
    }
}
