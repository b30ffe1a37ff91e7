package ai.loopgpt.dr.launcher;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.embedded.Inbox;
import ai.loopgpt.dr.embedded.LocalTokenIssuer;
import ai.loopgpt.dr.embedded.MailSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the services' environments are made of: the embedded servers and the local inbox as
 * started, the token issuer, the local secrets, and the ports of each service.
 */
record Suite(Options options, EmbeddedPostgres postgres, String drPassword, String samplePassword, EmbeddedS3 s3,
        MailSink mail, Inbox inbox, LocalTokenIssuer issuer, Path publicKey, Path secrets) {

    static final String BUCKET = "loopgpt-dr-backups";
    static final String SAMPLE_DATABASE = "loopgpt";
    /** The local Slack channel every audience posts to: its webhook is the inbox's. */
    static final String SLACK_CHANNEL = "incidents";
    /** notification-service's audiences (its defaults give each one email addresses). */
    static final List<String> AUDIENCES = List.of("on-call", "team", "game-day");

    int port(Service service) {
        return service.basePort() + options.portOffset();
    }

    /** Health, metrics and OpenAPI: 9081-9084 beside 8081-8084 (each pod uses 9000 on Kubernetes). */
    int managementPort(Service service) {
        return service.basePort() + 1000 + options.portOffset();
    }

    /** Where the other services call {@code peer}. */
    String url(Service peer) {
        return "http://127.0.0.1:" + port(peer);
    }

    /** The token {@code caller} presents to its peers: its service account, role dr-service, 30 days. */
    String serviceToken(Service caller) {
        return issuer.token("system:serviceaccount:dr:" + caller.module(), List.of("dr-service"), Duration.ofDays(30));
    }

    /** A local secret, kept under the data folder ({@link Launcher#secret}). */
    String secret(String name) {
        try {
            return Launcher.secret(secrets, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment every service gets: the dr database, the token issuer, its ports, plain-text logs. */
    Launch common(Service service) {
        Launch launch = new Launch()
                .env("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("dr"))
                .env("QUARKUS_DATASOURCE_USERNAME", "dr")
                .env("QUARKUS_DATASOURCE_PASSWORD", drPassword)
                .env("MP_JWT_VERIFY_ISSUER", issuer.issuer())
                .env("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString())
                .env("QUARKUS_HTTP_PORT", Integer.toString(port(service)))
                .env("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort(service)))
                // Logs go to files a person reads: plain text rather than production's JSON.
                .env("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        if (service.usesS3()) {
            launch.env(s3.serviceEnvironment(BUCKET));
        }
        return launch;
    }

    /** A destination or target on the embedded PostgreSQL: {@code <prefix>HOST}, {@code PORT}, {@code DATABASE}, {@code USER}. */
    Launch database(Launch launch, String prefix, String database, String user) {
        return launch.env(prefix + "HOST", postgres.host())
                .env(prefix + "PORT", Integer.toString(postgres.port()))
                .env(prefix + "DATABASE", database)
                .env(prefix + "USER", user);
    }
}
