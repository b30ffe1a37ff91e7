package ai.loopgpt.dr.recovery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** recovery-service configuration. */
@ConfigMapping(prefix = "recovery")
public interface RecoverySettings {

    /**
     * The allow-list of restore destinations, by name. A destination's name is also the
     * backup-service target that takes its safety backups before an in-place restore.
     */
    Map<String, Destination> destinations();

    /** The Kubernetes namespaces whose Deployments may be rolled back. */
    @WithDefault("loopgpt")
    List<String> namespaces();

    /**
     * Hosts a rollback's health URL may name besides the in-cluster services of its namespace
     * ({@code *.example.com} for subdomains). None by default.
     */
    Optional<List<String>> healthHosts();

    /** How incidents tell people: the public status page, the users' emails, the team's Slack. */
    Communication communication();

    interface Communication {
        /** status-service; without it no public incident is opened (the messages wait in the outbox). */
        Optional<String> statusUrl();

        /** notification-service; without it no mail or Slack message is sent (they wait in the outbox). */
        Optional<String> notificationUrl();

        /** A dr-service token for both peers: from a Secret only. */
        Optional<String> token();

        /** The public page, for the links in messages. */
        @WithDefault("https://status.loopgpt.ai")
        String statusPageUrl();

        /** Who gets the plan's Incident and Resolution Notification emails (status page subscribers). */
        @WithDefault("status-subscribers")
        String usersAudience();

        /** The users' channels; unset: email, the one channel of status-subscribers. */
        Optional<List<String>> usersChannels();

        /** The team's audience (the plan's Slack #incidents, or its email) and channels. */
        @WithDefault("team")
        String teamAudience();

        /** Unset: every channel the team's audience has at notification-service. */
        Optional<List<String>> teamChannels();

        /** How often the outbox is sent. */
        @WithDefault("2s")
        String outboxEvery();

        /** Who hears about a game day (instead of the users and the team), and how. */
        @WithDefault("game-day")
        String drillAudience();

        /** Unset: every channel the game-day audience has at notification-service. */
        Optional<List<String>> drillChannels();

        /** The plan's update cadence: an open incident with no update for this long reminds the team, once. */
        @WithDefault("PT30M")
        Duration updateEvery();

        /** How often open incidents are checked for a due update ("off": never). */
        @WithDefault("60s")
        String cadenceCheckEvery();
    }

    /** The Deployments ({@code namespace/name}) a game day may roll back: drill copies, never production. */
    Optional<List<String>> gameDayDeployments();

    /** Game days that run themselves ({@code POST /api/v1/drills/game-days {run: true}}). */
    GameDays gameDay();

    interface GameDays {
        /** The backup-service target whose newest good backup the restore scenarios restore. */
        @WithDefault("loopgpt")
        String target();

        /** Where they restore it; unset: the one destination marked scratch. */
        Optional<String> scratchDestination();

        /**
         * The health URL the rollback scenarios check after each rollout of the drill Deployment (the
         * first of {@code recovery.game-day-deployments}); unset: the rollout alone is awaited.
         */
        Optional<String> healthUrl();

        /** The plan's 30-minute update cadence, compressed for the communication scenario. */
        @WithDefault("PT2S")
        Duration updateEvery();

        /** How long one action (a restore, a rollback) may run before its scenario fails. */
        @WithDefault("PT1H")
        Duration actionTimeout();

        /** How long the communication scenario waits for notification-service to deliver every message. */
        @WithDefault("PT5M")
        Duration deliveryTimeout();

        /** How often the runner looks at a running action or message. */
        @WithDefault("PT1S")
        Duration pollEvery();
    }

    /** The order providers (Instacart, Shipt, …) by name: their priority and their status-page component. */
    Map<String, Provider> providers();

    interface Provider {
        /** Lower first: a provider outage fails over to the next provider up. */
        int priority();

        /** Its component on the status page. */
        String component();
    }

    /** The plan's post-mortem deadline after a resolution. */
    @WithDefault("PT48H")
    Duration postmortemDue();

    /** The plan's RTO: each incident's time to resolution is compared with it. */
    @WithDefault("PT4H")
    Duration rto();

    /** The plan's RPO: each incident's data-loss window per affected target is compared with it. */
    @WithDefault("PT1H")
    Duration rpo();

    /** How long a rollback waits for the Deployment to roll out. */
    @WithDefault("PT5M")
    Duration rolloutTimeout();

    /** How long a rollback retries its health URL before calling it failed. */
    @WithDefault("PT60S")
    Duration healthCheckTimeout();

    /** How long an in-place restore waits for its safety backup. */
    @WithDefault("PT1H")
    Duration safetyBackupTimeout();

    /**
     * How long an in-place restore keeps terminating the sessions on the destination before it gives
     * up on the swap (nothing is replaced then).
     */
    @WithDefault("PT30S")
    Duration swapGrace();

    /**
     * How often restores and rollbacks left by a stopped replica are looked for (also at start-up).
     */
    @WithDefault("30s")
    String reaperEvery();

    /** How long the database an in-place restore replaced is kept before it is dropped. */
    @WithDefault("P7D")
    Duration replacedRetention();

    /**
     * The key prefix under which backup objects live in the bucket ({@code dr.s3.bucket}): a backup
     * whose object lies elsewhere is never restored.
     */
    @WithDefault("backups/")
    String backupPrefix();

    /**
     * Sessions that load a restore at once: pg_restore's jobs for custom and directory backups, psql
     * sessions for plain ones. Unset: one per core this service has (at least 2); more sessions than
     * cores on the machine that runs the database slow the load down.
     */
    java.util.OptionalInt restoreJobs();

    /** {@link #restoreJobs()}, or one per core (at least 2). */
    default int loadSessions() {
        return restoreJobs().orElse(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * PostgreSQL's {@code max_parallel_maintenance_workers} for the sessions of a restore: the extra
     * processes one index build may use. Unset: 0 when more than one session loads (each session
     * already builds its own index; on 2 cores extra workers made the index stage about 20% slower),
     * the server's own setting when one does.
     */
    java.util.OptionalInt indexBuildWorkers();

    /** {@link #indexBuildWorkers()}, or its default for {@link #loadSessions()}; empty: the server's. */
    default java.util.OptionalInt maintenanceWorkers() {
        return indexBuildWorkers().isPresent() || loadSessions() == 1 ? indexBuildWorkers() : java.util.OptionalInt.of(0);
    }

    /**
     * A program that decompresses gzip from stdin to stdout, used for gzip backups when it is
     * found (ISA-L's {@code igzip}: about four times the speed of the JVM's zlib, CPU left to the
     * database while a restore loads); {@code none}, or not found: the JVM's own.
     */
    @WithDefault("igzip")
    String gunzip();

    @WithDefault("psql")
    String psql();

    @WithDefault("pg_restore")
    String pgRestore();

    /** Calls to backup-service. */
    Peer backupService();

    interface Peer {
        /** A dr-service bearer token for the peer, from the environment or a Secret. */
        Optional<String> token();
    }

    /** A database server and database that backups may be restored to. */
    interface Destination {
        String host();

        @WithDefault("5432")
        int port();

        /** The database restored in place; new databases are named after it. */
        String database();

        /** A role that may create, rename and drop databases there. */
        String user();

        /** From the environment or a Secret only. */
        Optional<String> password();

        /**
         * A scratch destination, for drill restores only: a drill restores into it, verifies and drops
         * the copy. A drill is refused anywhere else, so it never runs against production.
         */
        @WithDefault("false")
        boolean scratch();
    }
}
