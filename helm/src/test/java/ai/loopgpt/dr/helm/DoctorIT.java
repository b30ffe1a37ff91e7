package ai.loopgpt.dr.helm;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `drctl doctor` against a suite wired wrong in five ways at once, each as a newcomer would get it
 * wrong: the SMTP relay down, a game-day audience nobody defined, a wrong S3 secret key, a target's
 * wrong password, no scratch destination for the restore drills. Each is a ✗ line naming its fix,
 * and drctl exits non-zero.
 */
class DoctorIT {

    @Test
    void doctorFailsNamingTheFixOfEachMiswiring() throws Exception {
        EmbeddedPostgres pg = PostgresResource.server();
        EmbeddedS3 s3 = S3Resource.server();
        Path dir = Files.createDirectories(ChartIT.ROOT.resolve("helm/target/doctor-it"));
        List<ServiceProcess> started = new ArrayList<>();
        try (SmtpServer smtp = new SmtpServer()) {
            smtp.down();
            ServiceProcess notification = start(started, "notification-service", true, Map.of(
                    "QUARKUS_MAILER_HOST", "127.0.0.1", "QUARKUS_MAILER_PORT", Integer.toString(smtp.port()),
                    "QUARKUS_MAILER_START_TLS", "DISABLED"));
            ServiceProcess status = start(started, "status-service", true, Map.of(
                    "QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL", notification.url(),
                    "STATUS_NOTIFICATION_SERVICE_TOKEN", Tokens.service()));
            Map<String, String> recoveryEnv = new HashMap<>(S3Resource.serviceEnvironment());
            recoveryEnv.putAll(Map.of(
                    "RECOVERY_COMMUNICATION_STATUS_URL", status.url(),
                    "RECOVERY_COMMUNICATION_NOTIFICATION_URL", notification.url(),
                    "RECOVERY_COMMUNICATION_TOKEN", Tokens.service()));
            // No scratch destination; and game-day messages to an audience nobody defined.
            recoveryEnv.putAll(Map.of("RECOVERY_COMMUNICATION_DRILL_AUDIENCE", "drills",
                    "RECOVERY_DESTINATIONS__LOOPGPT__HOST", pg.host(),
                    "RECOVERY_DESTINATIONS__LOOPGPT__PORT", Integer.toString(pg.port()),
                    "RECOVERY_DESTINATIONS__LOOPGPT__DATABASE", "loopgpt",
                    "RECOVERY_DESTINATIONS__LOOPGPT__USER", EmbeddedPostgres.SUPERUSER));
            ServiceProcess recovery = start(started, "recovery-service", true, recoveryEnv);
            recoveryEnv.clear();

            Map<String, String> backupEnv = new HashMap<>(BackupServiceResource.environment(pg, s3));
            backupEnv.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "not-the-secret-key");
            backupEnv.putAll(Map.of("BACKUP_TARGETS__BILLING__HOST", pg.host(),
                    "BACKUP_TARGETS__BILLING__PORT", Integer.toString(pg.port()),
                    "BACKUP_TARGETS__BILLING__DATABASE", "loopgpt",
                    "BACKUP_TARGETS__BILLING__USER", "loopgpt_app",
                    "BACKUP_TARGETS__BILLING__PASSWORD", "not-the-password",
                    "BACKUP_ALERTS_NOTIFICATION_URL", notification.url(),
                    "BACKUP_ALERTS_STATUS_URL", status.url(),
                    "BACKUP_ALERTS_TOKEN", Tokens.service(),
                    "BACKUP_DRILLS_RECOVERY_URL", recovery.url(),
                    "BACKUP_DRILLS_RECOVERY_TOKEN", Tokens.service()));
            // Never ready: its bucket refuses its key. Live is enough to be asked.
            ServiceProcess backup = start(started, "backup-service", false, backupEnv);

            Map<String, String> env = Map.of("DRCTL_BACKUP_URL", backup.url(), "DRCTL_RECOVERY_URL", recovery.url(),
                    "DRCTL_NOTIFICATION_URL", notification.url(), "DRCTL_STATUS_URL", status.url(),
                    "DRCTL_TOKEN_FILE", Files.writeString(dir.resolve("viewer.jwt"), Tokens.viewer()).toString(),
                    "DRCTL_CONFIG", dir.resolve("none.yaml").toString());
            ChartSuiteIT.Run doctor = ChartSuiteIT.drctl(env, List.of("doctor"));
            String out = doctor.output();
            assertNotEquals(0, doctor.exit(), out);
            // Each failure, and the fix it names.
            assertFailed(out, "SMTP relay 127.0.0.1:" + smtp.port(), "QUARKUS_MAILER_HOST");
            assertFailed(out, "audience of game days", "notify.audiences.\"drills\"");
            assertFailed(out, "S3 bucket " + S3Resource.BUCKET + " writable", "Correct the S3 access key and secret");
            assertFailed(out, "target billing", "BACKUP_TARGETS__BILLING__PASSWORD");
            assertFailed(out, "scratch destination 'scratch'", "scratch=true");
            assertTrue(!out.contains("not-the-secret-key") && !out.contains("not-the-password"), "no secret printed: " + out);
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
        }
    }

    private static ServiceProcess start(List<ServiceProcess> started, String module, boolean ready, Map<String, String> env) {
        ServiceProcess process = ServiceProcess.start(module, ServiceProcess.freePort(), ready, url -> env);
        started.add(process);
        return process;
    }

    /** A ✗ line about {@code check}, followed (within the next lines) by a fix mentioning {@code fix}. */
    private static void assertFailed(String output, String check, String fix) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("✗") && lines.get(i).contains(check)) {
                String following = String.join("\n", lines.subList(i, Math.min(lines.size(), i + 4)));
                assertTrue(following.contains(fix), "the fix of '" + check + "' names " + fix + ":\n" + following);
                return;
            }
        }
        throw new AssertionError("no ✗ line for '" + check + "' in:\n" + output);
    }
}
