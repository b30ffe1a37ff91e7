package ai.loopgpt.dr.notification.selfcheck;

import ai.loopgpt.dr.common.selfcheck.Check;
import ai.loopgpt.dr.common.selfcheck.SelfCheckSource;
import ai.loopgpt.dr.notification.config.NotifySettings;
import ai.loopgpt.dr.notification.delivery.NotificationService;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * notification-service's wires: the SMTP relay, each Slack webhook, and every audience reaching
 * someone. Slack is asked with an empty message, which it refuses with 400 "no_text" when the
 * webhook is valid (and 403/404 when it is not): nothing is posted to the channel.
 */
@ApplicationScoped
public class NotificationSelfCheck implements SelfCheckSource {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final NotifySettings settings;
    private final String smtpHost;
    private final int smtpPort;
    private final boolean smtpTls;
    private final String startTls;
    private final boolean mock;

    public NotificationSelfCheck(NotifySettings settings,
            @ConfigProperty(name = "quarkus.mailer.host", defaultValue = "localhost") String smtpHost,
            @ConfigProperty(name = "quarkus.mailer.port", defaultValue = "25") int smtpPort,
            @ConfigProperty(name = "quarkus.mailer.tls", defaultValue = "false") boolean smtpTls,
            @ConfigProperty(name = "quarkus.mailer.start-tls", defaultValue = "OPTIONAL") String startTls,
            @ConfigProperty(name = "quarkus.mailer.mock", defaultValue = "false") boolean mock) {
        this.settings = settings;
        this.smtpHost = smtpHost;
        this.smtpPort = smtpPort;
        this.smtpTls = smtpTls;
        this.startTls = startTls;
        this.mock = mock;
    }

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(mock ? Check.fail("SMTP relay", "quarkus.mailer.mock=true: mails are only logged, never sent",
                "Set QUARKUS_MAILER_MOCK=false and point the mailer at a relay.")
                : SmtpProbe.check(smtpHost, smtpPort, smtpTls, startTls));
        for (Map.Entry<String, NotifySettings.SlackChannel> slack : settings.slack().entrySet()) {
            checks.add(slack(slack.getKey(), slack.getValue().webhookUrl()));
        }
        checks.add(deadLetters());
        if (settings.status().url().isPresent()) {
            checks.add(ai.loopgpt.dr.common.selfcheck.PeerProbe.reach("status-service",
                    "dead letters raise its " + settings.status().component() + " component", settings.status().url(),
                    settings.status().token(), "notify.status.url", "NOTIFY_STATUS_TOKEN"));
        }
        for (Map.Entry<String, NotifySettings.Audience> audience : settings.audiences().entrySet()) {
            List<String> channels = NotificationService.channels(audience.getValue());
            String name = "audience " + audience.getKey();
            checks.add(channels.isEmpty()
                    ? Check.fail(name, "has no recipient on any channel: its messages would reach nobody",
                            "Set notify.audiences.\"" + audience.getKey() + "\".email (or .slack, .webhook).")
                    : Check.pass(name, "reaches people by " + String.join(", ", channels)));
        }
        return checks;
    }

    /**
     * Deliveries that died in the last 24 hours: a message the sender believes sent that reached
     * nobody. Said without addresses.
     */
    private static Check deadLetters() {
        String name = "deliveries of the last 24 h";
        java.time.Instant since = java.time.Instant.now().minus(ai.loopgpt.dr.notification.delivery.DeadLetterWatch.WINDOW);
        List<Object[]> dead = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                ai.loopgpt.dr.notification.delivery.Delivery.getEntityManager().createQuery(
                        "select n.id, n.template, n.audience, d.channel, d.lastError from Delivery d, Notification n "
                                + "where d.notificationId = n.id and d.state = :dead and n.createdAt > :since "
                                + "order by n.createdAt desc", Object[].class)
                        .setParameter("dead", ai.loopgpt.dr.notification.delivery.Delivery.State.DEAD)
                        .setParameter("since", since).setMaxResults(1000).getResultList());
        if (dead.isEmpty()) {
            return Check.pass(name, "none dead-lettered");
        }
        Object[] last = dead.get(0);
        String error = last[4] == null ? "" : ": " + ai.loopgpt.dr.common.text.Addresses.hidden(String.valueOf(last[4]));
        return Check.fail(name, dead.size() + (dead.size() >= 1000 ? "+" : "") + " dead-lettered; the last: " + last[1]
                + " to " + last[2] + " by " + last[3] + (error.length() > 160 ? error.substring(0, 160) + "…" : error),
                "Mend the channel (see the other lines), then send them again: POST /api/v1/notifications/"
                        + last[0] + "/retry (each notification with dead deliveries).");
    }

    /** Said without the webhook's URL, which is a secret. */
    private static Check slack(String channel, String url) {
        String name = "Slack channel " + channel;
        String fix = "Set NOTIFY_SLACK_" + channel.toUpperCase().replaceAll("[^A-Z0-9]", "_")
                + " (chart: the key '" + channel + "' of notification.slackSecret) to the channel's current incoming-webhook URL.";
        URI uri;
        try {
            uri = URI.create(url.strip());
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                return Check.fail(name, "the webhook URL is not an http(s) URL", fix);
            }
        } catch (IllegalArgumentException e) {
            return Check.fail(name, "the webhook URL is not a valid URL", fix);
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String body = response.body() == null ? "" : response.body().strip();
            if (status / 100 == 2 || (status == 400 && (body.contains("no_text") || body.contains("invalid_payload")
                    || body.contains("missing_text")))) {
                return Check.pass(name, "the webhook answers (HTTP " + status + " to an empty message, as a valid one does)");
            }
            return Check.fail(name, "the webhook was refused (HTTP " + status
                    + (body.isEmpty() ? "" : " " + body.substring(0, Math.min(60, body.length())).replaceAll("\\p{Cntrl}", " "))
                    + "): revoked, or the URL is wrong", fix);
        } catch (IOException e) {
            return Check.fail(name, "nothing answers at the webhook's host (" + e.getClass().getSimpleName() + ")", fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(name, "interrupted", "Run the check again.");
        }
    }
}
