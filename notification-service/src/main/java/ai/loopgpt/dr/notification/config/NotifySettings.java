package ai.loopgpt.dr.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** notification-service configuration. */
@ConfigMapping(prefix = "notify")
public interface NotifySettings {

    /** Named audiences (on-call, team …): who hears about it on each channel. */
    Map<String, Audience> audiences();

    /** Slack channels by name, each with its incoming-webhook URL (a secret: from the environment or a Secret). */
    Map<String, SlackChannel> slack();

    /** Generic webhooks by name: URL and the HMAC key their deliveries are signed with. */
    Map<String, Webhook> webhooks();

    Delivery delivery();

    /**
     * Where people reach this service's public links (confirmation, unsubscribe), e.g.
     * https://status.loopgpt.ai: required, because a link to localhost in a mail reaches nobody.
     */
    String publicUrl();

    /** Limits of the public subscription endpoints. */
    Subscribers subscribers();

    /** Where dead letters are told: status-service's internal component for notifications. */
    StatusPeer status();

    interface StatusPeer {
        /** status-service's base URL; unset, dead letters show only in self-check and drctl doctor. */
        Optional<String> url();

        /** A dr-service token for status-service (a secret: NOTIFY_STATUS_TOKEN or a Secret). */
        Optional<String> token();

        /** The internal component raised while a message to the suite's own people is dead-lettered. */
        @WithDefault("notifications")
        String component();

        /** How often the dead letters are compared with the component. */
        @WithDefault("30s")
        String every();
    }

    interface Subscribers {
        /** Confirmation mails one address receives at most per window, whoever asks. */
        @WithDefault("3")
        int confirmationsPerAddress();

        /** The window of confirmationsPerAddress. */
        @WithDefault("PT24H")
        java.time.Duration confirmationWindow();

        /** Anonymous subscription requests one client (IP address) may make per window. */
        @WithDefault("10")
        int requestsPerClient();

        /** The window of requestsPerClient. */
        @WithDefault("PT1H")
        java.time.Duration clientWindow();

        /**
         * The key of the unsubscribe links' HMAC: at least 32 characters of random text, from a Secret
         * (NOTIFY_SUBSCRIBERS_TOKEN_KEY). Changing it voids the links already mailed.
         */
        String tokenKey();
    }

    interface Audience {
        /** Email addresses. */
        Optional<List<String>> email();

        /** Names of Slack channels (keys of {@code notify.slack}). */
        Optional<List<String>> slack();

        /** Names of webhooks (keys of {@code notify.webhooks}). */
        Optional<List<String>> webhook();
    }

    interface SlackChannel {
        String webhookUrl();

        /** Slack accepts about one message per second per incoming webhook: posts are spaced at least this much. */
        @WithDefault("1s")
        Duration minInterval();
    }

    interface Webhook {
        String url();

        /** HMAC-SHA256 key for the X-LoopGPT-Signature header. */
        String secret();
    }

    interface Delivery {
        /** Attempts before a delivery is moved to the dead-letter state (a permanent failure is dead at once). */
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("1s")
        String every();

        /** Deliveries claimed per round. */
        @WithDefault("500")
        int batchSize();

        /** Deliveries sent at the same time. */
        @WithDefault("8")
        int concurrency();

        /**
         * How long a claimed delivery is held by the replica that claimed it; if that replica dies,
         * another takes the delivery over after this.
         */
        @WithDefault("2m")
        Duration lease();

        /** Longest wait between two attempts. */
        @WithDefault("10m")
        Duration maxBackoff();

        /** Connect and response timeout for Slack and webhook calls. */
        @WithDefault("10s")
        Duration httpTimeout();
    }
}
