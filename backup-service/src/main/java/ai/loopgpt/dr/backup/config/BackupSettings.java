package ai.loopgpt.dr.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** backup-service configuration. */
@ConfigMapping(prefix = "backup")
public interface BackupSettings {

    /** The databases to protect, by name (lower-case letters, digits and dashes). */
    Map<String, Target> targets();

    /** The pg_dump executable: a name looked up on the PATH or an absolute path. */
    @WithDefault("pg_dump")
    String pgDump();

    /**
     * How long the dump (and the row counts beside it) waits for a table lock before the backup fails:
     * a backup blocked behind a migration's ACCESS EXCLUSIVE lock gives up instead of holding the
     * target for ever ({@code pg_dump --lock-wait-timeout}).
     */
    @WithDefault("PT2M")
    java.time.Duration lockWaitTimeout();

    /** The longest a backup may run before it is stopped and fails, freeing its target. */
    @WithDefault("PT6H")
    java.time.Duration maxDuration();

    /** How backups go to the bucket. */
    Storage storage();

    /** Compression defaults. */
    Compress compression();

    /** Schedules of automatic backups. */
    Schedule schedule();

    /** Retention classes, in days. */
    Retention retention();

    /** The RPO promised by the plan: a target whose last good backup is older is in breach. */
    @WithDefault("PT1H")
    java.time.Duration rpo();

    /** Integrity verifications and restore drills. */
    Drills drills();

    /** Change streams of the targets with {@code stream=true}. */
    Stream stream();

    interface Stream {
        /**
         * The RPO of a streamed target: the last change durable in the bucket (or, idle, the time up to
         * which the stream showed it holds everything) must be at most this old, else an rpo-breach alert.
         */
        @WithDefault("1m")
        java.time.Duration rpo();

        /** A change segment is sealed and stored once its first transaction is this old (seconds). */
        @WithDefault("10")
        int segmentSeconds();

        /** ... or once its SQL text reaches this size (MiB), between two transactions. */
        @WithDefault("16")
        int segmentMaxMib();

        /** The publication (FOR ALL TABLES) a streamed target's slots decode. */
        @WithDefault("dr_stream")
        String publication();

        /** How often chains are checked: a stream to start, a slot to drop, a leftover to settle, WAL kept. */
        @WithDefault("5s")
        String checkEvery();

        /** A slot keeping more WAL on the server than this (MiB) raises an alert. */
        @WithDefault("1024")
        long retainedWalWarningMib();

        /**
         * A slot keeping more WAL than this (MiB) is dropped, and the target's backups fall back to plain
         * dumps until an operator turns streaming on again: the slot must never fill the server's disk.
         */
        @WithDefault("4096")
        long retainedWalLimitMib();
    }

    /** Backup alerts to operators (notification-service) and the internal Backups component (status-service). */
    Alerts alerts();

    interface Alerts {
        /** How often every target is checked ("off": only right after each backup and drill). */
        @WithDefault("60s")
        String every();

        /** The first check after start-up. */
        @WithDefault("20s")
        String delay();

        /** How often the outbox of alerts is sent. */
        @WithDefault("2s")
        String outboxEvery();

        /** notification-service; without it no alert is sent (they wait in the outbox). */
        Optional<String> notificationUrl();

        /** status-service; without it the Backups component is not updated. */
        Optional<String> statusUrl();

        /** A dr-service token for both peers: from a Secret only. */
        Optional<String> token();

        /** The notification-service audience that receives the alerts (the operators). */
        @WithDefault("on-call")
        String audience();

        /** The channels of the alerts; unset: every channel the audience has (the audience must have each one set). */
        java.util.Optional<java.util.List<String>> channels();

        /** status-service's component that shows backup trouble (an internal one, by default). */
        @WithDefault("backups")
        String component();
    }

    interface Drills {
        /** False when Kubernetes CronJobs start the drills instead (POST /api/v1/drills). */
        @WithDefault("true")
        boolean scheduleEnabled();

        /** When each target's newest good backup is verified (Quartz cron): weekly, Sunday 03:00. */
        @WithDefault("0 0 3 ? * SUN")
        String integrityCron();

        /** When each target's newest good backup is test-restored (Quartz cron): monthly, the 1st at 04:00. */
        @WithDefault("0 0 4 1 * ?")
        String restoreCron();

        /** recovery-service, which runs restore drills. */
        Optional<String> recoveryUrl();

        /** A dr-service token for recovery-service: from a Secret only. */
        Optional<String> recoveryToken();

        /** recovery-service's scratch destination (recovery.destinations.<name>.scratch=true). */
        @WithDefault("scratch")
        String scratchDestination();

        /** The plan's RTO: each restore drill's time is compared with it. */
        @WithDefault("PT4H")
        java.time.Duration rto();

        /** How long a restore drill waits for recovery-service to finish. */
        @WithDefault("PT4H")
        java.time.Duration restoreTimeout();
    }

    interface Storage {
        /** Size of each multipart part, in MiB (5 to 512): memory use is about (upload-threads + 1) parts. */
        @WithDefault("16")
        int partSizeMib();

        /** Parts uploaded at the same time. */
        @WithDefault("2")
        int uploadThreads();

        /** Server-side encryption requested for every object: AES256, aws:kms, or none. */
        @WithDefault("AES256")
        String serverSideEncryption();

        /** The KMS key for aws:kms (default: the bucket's). */
        Optional<String> kmsKeyId();

        /**
         * S3 Object Lock on every object and manifest, retained until the backup's expiry: none,
         * governance or compliance. Needs a bucket created with Object Lock enabled.
         */
        @WithDefault("none")
        String objectLock();

        /** How long a download URL stays valid. */
        @WithDefault("PT15M")
        java.time.Duration downloadUrlLifetime();

        /**
         * How long S3 may take to acknowledge one part (or any other write) before the upload counts
         * as stalled: the backup then fails, pg_dump is stopped and the upload aborted. S3
         * acknowledges whole parts, so the link must carry part-size-mib within this time.
         */
        @WithDefault("PT2M")
        java.time.Duration stallTimeout();
    }

    interface Compress {
        /**
         * gzip level (1 fastest to 9 smallest) of the default .sql.gz. Level 1 keeps compression off
         * the critical path on small machines (about 20 % larger than gzip -6; see bench/backup.sh).
         */
        @WithDefault("1")
        int gzipLevel();

        /**
         * zstd level (1 to 19). Level 1, for the same reason as gzip's: on a small machine the
         * compression shares the cores with pg_dump (still smaller than gzip -6; see bench/backup.sh).
         */
        @WithDefault("1")
        int zstdLevel();

        /** Compression threads (0: one per core). */
        @WithDefault("0")
        int threads();
    }

    interface Schedule {
        /** False when Kubernetes CronJobs trigger the backups instead. */
        @WithDefault("true")
        boolean enabled();

        /** Default cron (Quartz syntax, with seconds) for targets that set none: hourly, for the 1-hour RPO. */
        @WithDefault("0 0 * * * ?")
        String cron();
    }

    interface Retention {
        @WithDefault("7")
        int automaticDays();

        @WithDefault("90")
        int manualDays();

        @WithDefault("7")
        int drillDays();
    }

    /** One database to protect. */
    interface Target {
        String host();

        @WithDefault("5432")
        int port();

        String database();

        String user();

        /** From the environment or a Secret only; never logged, never in an error. */
        Optional<String> password();

        /** This target's cron for automatic backups; defaults to backup.schedule.cron. */
        Optional<String> schedule();

        /**
         * Streams the target's committed changes to the bucket between its backups (logical
         * replication: the server needs wal_level=logical, the user the REPLICATION attribute).
         */
        @WithDefault("false")
        boolean stream();
    }
}
