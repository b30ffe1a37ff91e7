package ai.loopgpt.dr.status.config;

import io.smallrye.config.ConfigMapping;
import java.util.List;

/** status-service configuration: the components shown on the page. */
@ConfigMapping(prefix = "status")
public interface StatusSettings {

    /** The components, in page order. */
    List<ComponentSetting> components();

    /** How often the outbox is sent to notification-service ({@code off} to stop). */
    Every outbox();

    /** How often scheduled maintenances are started and completed. */
    Every maintenance();

    /** How often the public snapshot is rebuilt from the database (besides on every change). */
    Every snapshot();

    /** The probes' response times kept for the page's charts. */
    ResponseTimeSettings responseTimes();

    interface ResponseTimeSettings {
        /**
         * How often response times older than the charts show (24 hours of 15-minute buckets, 90 days of
         * day buckets) are deleted, on every replica ({@code off} to stop).
         */
        @io.smallrye.config.WithDefault("10m")
        String pruneEvery();
    }

    /** The public side's HTTP headers. */
    Edge edge();

    interface Edge {
        /**
         * Who may frame the page: the {@code frame-ancestors} sources of its Content-Security-Policy
         * ({@code 'none'}: nobody; e.g. {@code https://loopgpt.ai} to embed it there).
         */
        @io.smallrye.config.WithDefault("'none'")
        String frameAncestors();

        /**
         * Cache-Control of the public pages and JSON: short-lived, and a CDN in front may serve a stale
         * copy while it revalidates and while the origin is down.
         */
        @io.smallrye.config.WithDefault("public, max-age=10, stale-while-revalidate=30, stale-if-error=86400")
        String cacheControl();

        /**
         * Subscribe-form posts one client (IP address; behind a proxy, set
         * quarkus.http.proxy.proxy-address-forwarding) may make per window; more get the same answer
         * and do nothing.
         */
        @io.smallrye.config.WithDefault("10")
        int subscribeRequestsPerClient();

        @io.smallrye.config.WithDefault("PT1H")
        java.time.Duration subscribeClientWindow();
    }

    /** notification-service, which mails subscribers. */
    Peer notificationService();

    interface Every {
        @io.smallrye.config.WithDefault("10s")
        String every();
    }

    interface Peer {
        /** A dr-service token, from the environment or a Secret. */
        java.util.Optional<String> token();
    }

    /** HTTP probes, by the id of the component each watches. */
    java.util.Map<String, Probe> probes();

    /** An HTTP check of one component. Defaults detect a component that is down within 30 seconds. */
    interface Probe {
        /** The URL to GET. */
        java.net.URI url();

        @io.smallrye.config.WithDefault("200")
        int expectedStatus();

        /** Slower than this counts as degraded performance. */
        @io.smallrye.config.WithDefault("PT2S")
        java.time.Duration latencyThreshold();

        @io.smallrye.config.WithDefault("PT10S")
        java.time.Duration interval();

        /** Consecutive failures before the component is marked down and an incident opened. */
        @io.smallrye.config.WithDefault("3")
        int failuresToOpen();
    }

    interface ComponentSetting {
        /** Stable id used in URLs and APIs, e.g. {@code edge-functions}. */
        String id();

        String name();

        /** The group it is shown under, e.g. {@code Providers}. */
        String group();

        /** False for an internal component: its status is kept and set through the API, never published. */
        @io.smallrye.config.WithDefault("true")
        boolean shown();
    }
}
