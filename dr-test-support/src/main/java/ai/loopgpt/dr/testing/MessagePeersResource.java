package ai.loopgpt.dr.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers a service's alerts and incident messages go to, for real: a mail server, a Slack webhook
 * receiver (channel {@code incidents} at {@link #SLACK_PATH}), the packaged notification-service
 * with the test's audiences, and the packaged status-service sending through it. A service's test
 * resource extends this with its audiences and the configuration pointing the service under test at
 * these peers; its tests read what arrived through the static accessors.
 */
public abstract class MessagePeersResource implements QuarkusTestResourceLifecycleManager {

    /** Where the Slack receiver takes the {@code incidents} channel's posts. */
    public static final String SLACK_PATH = "/slack/incidents";

    /** An audience of notification-service: an email address, a Slack channel, or both (null: none). */
    public record Audience(String name, String email, String slack) {
        public static Audience email(String name, String address) {
            return new Audience(name, address, null);
        }

        public static Audience slack(String name, String channel) {
            return new Audience(name, null, channel);
        }
    }

    private static SmtpServer smtp;
    private static HttpReceiver slack;
    private static ServiceProcess notifications;
    private static ServiceProcess status;

    public static SmtpServer smtp() {
        return smtp;
    }

    public static HttpReceiver slack() {
        return slack;
    }

    public static ServiceProcess notifications() {
        return notifications;
    }

    public static ServiceProcess status() {
        return status;
    }

    /** notification-service's audiences in this test. */
    protected abstract List<Audience> audiences();

    /** The configuration of the service under test, pointing it at these peers. */
    protected abstract Map<String, String> configuration(ServiceProcess notifications, ServiceProcess status);

    @Override
    public Map<String, String> start() {
        try {
            smtp = new SmtpServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        slack = new HttpReceiver();
        Map<String, String> notify = new HashMap<>();
        notify.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        notify.put("QUARKUS_MAILER_PORT", Integer.toString(smtp.port()));
        notify.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        notify.put("QUARKUS_MAILER_TIMEOUT", "5s");
        notify.put("NOTIFY_DELIVERY_EVERY", "1s");
        notify.put("NOTIFY_SLACK__INCIDENTS__WEBHOOK_URL", slack.url(SLACK_PATH));
        for (Audience audience : audiences()) {
            String prefix = "NOTIFY_AUDIENCES__" + audience.name().toUpperCase() + "__";
            if (audience.email() != null) {
                notify.put(prefix + "EMAIL", audience.email());
            }
            if (audience.slack() != null) {
                notify.put(prefix + "SLACK", audience.slack());
            }
        }
        notifications = ServiceProcess.start("notification-service", notify);
        status = ServiceProcess.start("status-service", Map.of("QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL",
                notifications.url(), "STATUS_NOTIFICATION_SERVICE_TOKEN", Tokens.service()));
        return configuration(notifications, status);
    }

    @Override
    public void stop() {
        try {
            for (AutoCloseable peer : new AutoCloseable[] {status, notifications, slack, smtp}) {
                if (peer != null) {
                    peer.close();
                }
            }
        } catch (Exception e) {
            // Test teardown.
        }
    }
}
