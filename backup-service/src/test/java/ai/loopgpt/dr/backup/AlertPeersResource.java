package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.SampleDatabase;
import ai.loopgpt.dr.testing.FaultyTcpProxy;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.MessagePeersResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers backup alerts go to, for real ({@link MessagePeersResource}): notification-service's
 * audience {@code operators} is an address and Slack {@code #incidents}; status-service has its
 * internal Backups component. One target only, {@code alerted}, so that the component's state is
 * this test's alone.
 *
 * <p>Also recovery-service as the drill report reads its game days ({@link DrillReportGameDaysTest},
 * which shares this application rather than booting one more): an {@link HttpReceiver} behind a
 * {@link FaultyTcpProxy} that can take it down, with its own dr-service token.
 */
public class AlertPeersResource extends MessagePeersResource {

    static final String OPERATORS = "operators@loopgpt.test";
    static final String PASSWORD = java.util.UUID.randomUUID().toString();

    private static HttpReceiver recovery;
    private static FaultyTcpProxy recoveryLink;
    private static String recoveryToken;

    /** recovery-service standing in: script its answers, read its requests. */
    static HttpReceiver recovery() {
        return recovery;
    }

    /** The connection to {@link #recovery()}: {@code failAfter(0)} takes recovery-service down, {@code heal()} back. */
    static FaultyTcpProxy recoveryLink() {
        return recoveryLink;
    }

    /** The dr-service token backup-service is configured to send recovery-service. */
    static String recoveryToken() {
        return recoveryToken;
    }

    @Override
    protected List<Audience> audiences() {
        return List.of(new Audience("operators", OPERATORS, "incidents"));
    }

    @Override
    protected Map<String, String> configuration(ServiceProcess notifications, ServiceProcess status) {
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
        recovery = new HttpReceiver();
        try {
            recoveryLink = new FaultyTcpProxy(URI.create(recovery.url("/")).getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recoveryToken = Tokens.as("system:serviceaccount:dr:backup-service-drills", "dr-service");
        config.put("backup.drills.recovery-url", "http://127.0.0.1:" + recoveryLink.port());
        config.put("backup.drills.recovery-token", recoveryToken);
        // No restore drill of this test's runs on a schedule.
        config.put("backup.drills.schedule-enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        try {
            if (recoveryLink != null) {
                recoveryLink.close();
            }
        } catch (IOException e) {
            // Test teardown.
        }
        if (recovery != null) {
            recovery.close();
        }
    }
}
