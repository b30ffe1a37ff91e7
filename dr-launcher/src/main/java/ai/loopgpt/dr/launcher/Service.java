package ai.loopgpt.dr.launcher;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import java.nio.file.Path;

/**
 * The four services: module folder, fixed port, and what each one's environment adds to the
 * common one ({@link Suite#common}), its peers named by their constant.
 */
enum Service {

    BACKUP("backup-service", 8081, true, true) {
        @Override
        Launch launch(Suite suite) {
            Launch launch = suite.database(suite.common(this), "BACKUP_TARGETS__LOOPGPT__", Suite.SAMPLE_DATABASE,
                    "loopgpt_app")
                    .env("BACKUP_TARGETS__LOOPGPT__PASSWORD", suite.samplePassword())
                    // The embedded S3's folder store cannot encrypt at rest; real buckets get AES256 by default.
                    .env("BACKUP_STORAGE_SERVER_SIDE_ENCRYPTION", "none")
                    .env("BACKUP_TARGETS__LOOPGPT__STREAM", Boolean.toString(suite.options().stream()));
            // Alerts to the operators (on every channel of their audience) and the internal Backups component.
            launch.env("BACKUP_ALERTS_NOTIFICATION_URL", suite.url(NOTIFICATION))
                    .env("BACKUP_ALERTS_STATUS_URL", suite.url(STATUS))
                    .env("BACKUP_ALERTS_TOKEN", suite.serviceToken(this));
            // Restore drills go through recovery-service into its scratch destination.
            return launch.env("BACKUP_DRILLS_RECOVERY_URL", suite.url(RECOVERY))
                    .env("BACKUP_DRILLS_RECOVERY_TOKEN", suite.serviceToken(this));
        }
    },

    RECOVERY("recovery-service", 8082, true, true) {
        @Override
        Launch launch(Suite suite) {
            Launch launch = suite.common(this)
                    .env("QUARKUS_REST_CLIENT_BACKUP_SERVICE_URL", suite.url(BACKUP))
                    .env("RECOVERY_BACKUP_SERVICE_TOKEN", suite.serviceToken(this));
            // Restores of the sample go to new databases beside it (or replace it in place).
            suite.database(launch, "RECOVERY_DESTINATIONS__LOOPGPT__", Suite.SAMPLE_DATABASE, EmbeddedPostgres.SUPERUSER);
            // Incidents open the public incident and tell the team (on every channel of its audience).
            launch.env("RECOVERY_COMMUNICATION_STATUS_URL", suite.url(STATUS))
                    .env("RECOVERY_COMMUNICATION_NOTIFICATION_URL", suite.url(NOTIFICATION))
                    .env("RECOVERY_COMMUNICATION_TOKEN", suite.serviceToken(this));
            // The scratch destination of restore drills: copies are verified there, then dropped.
            return suite.database(launch, "RECOVERY_DESTINATIONS__SCRATCH__", Suite.SAMPLE_DATABASE + "_scratch",
                    EmbeddedPostgres.SUPERUSER).env("RECOVERY_DESTINATIONS__SCRATCH__SCRATCH", "true");
        }
    },

    NOTIFICATION("notification-service", 8083, false, false) {
        @Override
        Launch launch(Suite suite) {
            // The key of the unsubscribe links' HMAC: kept with the other local secrets, so links
            // mailed before a restart keep working.
            Launch launch = suite.common(this).env("NOTIFY_SUBSCRIBERS_TOKEN_KEY", suite.secret("subscriber-token-key"))
                    // Mail and Slack go to the local inbox: plain SMTP on loopback, one local Slack channel.
                    .env("QUARKUS_MAILER_HOST", "127.0.0.1")
                    .env("QUARKUS_MAILER_PORT", Integer.toString(suite.mail().port()))
                    .env("QUARKUS_MAILER_START_TLS", "DISABLED")
                    // A connection per mail: a pooled one, reused after a quiet spell, held each mail up for the
                    // mailer's 30 s timeout before it went (seen under ./run.sh).
                    .env("QUARKUS_MAILER_KEEP_ALIVE", "false");
            // Quoted map keys do not map reliably from environment variable names: system properties.
            launch.property("notify.slack.\"" + Suite.SLACK_CHANNEL + "\".webhook-url",
                    suite.inbox().slackWebhook(Suite.SLACK_CHANNEL));
            for (String audience : Suite.AUDIENCES) {
                launch.property("notify.audiences.\"" + audience + "\".slack", Suite.SLACK_CHANNEL);
            }
            launch.property("notify.public-url", "http://localhost:" + suite.port(this));
            // Dead letters of the suite's own messages raise status-service's internal Notifications component.
            return launch.env("NOTIFY_STATUS_URL", suite.url(STATUS))
                    .env("NOTIFY_STATUS_TOKEN", suite.serviceToken(this));
        }
    },

    STATUS("status-service", 8084, false, false) {
        @Override
        Launch launch(Suite suite) {
            // Incident updates and subscriptions go to notification-service through the outbox.
            return suite.common(this)
                    .env("QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL", suite.url(NOTIFICATION))
                    .env("STATUS_NOTIFICATION_SERVICE_TOKEN", suite.serviceToken(this));
        }
    };

    private final String module;
    private final int basePort;
    private final boolean usesS3;
    private final boolean streaming;

    Service(String module, int basePort, boolean usesS3, boolean streaming) {
        this.module = module;
        this.basePort = basePort;
        this.usesS3 = usesS3;
        this.streaming = streaming;
    }

    /** How this service is started in {@code suite}. */
    abstract Launch launch(Suite suite);

    /** The module folder, and the service's name in logs and tokens. */
    String module() {
        return module;
    }

    /** Its port before --port-offset. */
    int basePort() {
        return basePort;
    }

    boolean usesS3() {
        return usesS3;
    }

    /** Whether it moves gigabytes through itself (dumps, restores): it keeps the optimizing compiler. */
    boolean streaming() {
        return streaming;
    }

    Path jar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
