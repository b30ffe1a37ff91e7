package ai.loopgpt.dr.recovery;

import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The peers an incident talks to, for real: the packaged status-service and notification-service,
 * a mail server, and a Slack webhook receiver for #incidents. Users are the audience {@code users}
 * (email), the team is {@code team} (Slack).
 */
public class CommunicationPeersResource implements QuarkusTestResourceLifecycleManager {

    public static final String USERS = "users@loopgpt.test";
    static final String GAME_DAY = "gameday@loopgpt.test";
    static SmtpServer smtp;
    static HttpReceiver slack;
    static ServiceProcess notifications;
    static ServiceProcess status;

    public static SmtpServer smtp() {
        return smtp;
    }

    public static HttpReceiver slack() {
        return slack;
    }

    public static ServiceProcess status() {
        return status;
    }

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
        notify.put("NOTIFY_AUDIENCES__USERS__EMAIL", USERS);
        notify.put("NOTIFY_AUDIENCES__TEAM__SLACK", "incidents");
        notify.put("NOTIFY_AUDIENCES__GAMEDAY__EMAIL", GAME_DAY);
        notifications = ServiceProcess.start("notification-service", notify);
        status = ServiceProcess.start("status-service", Map.of("QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL",
                notifications.url(), "STATUS_NOTIFICATION_SERVICE_TOKEN", Tokens.service()));
        Map<String, String> config = new HashMap<>();
        config.put("recovery.communication.status-url", status.url());
        config.put("recovery.communication.notification-url", notifications.url());
        config.put("recovery.communication.token", Tokens.as("system:serviceaccount:dr:recovery-service", "dr-service"));
        config.put("recovery.communication.users-audience", "users");
        config.put("recovery.communication.team-audience", "team");
        config.put("recovery.communication.outbox-every", "1s");
        config.put("recovery.communication.drill-audience", "gameday");
        config.put("recovery.communication.drill-channels", "email");
        // The tests check the cadence themselves, at the times they set.
        config.put("recovery.communication.cadence-check-every", "off");
        return config;
    }

    @Override
    public void stop() {
        try {
            for (ServiceProcess p : new ServiceProcess[] {status, notifications}) {
                if (p != null) {
                    p.close();
                }
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
