package ai.loopgpt.dr.backup.selfcheck;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.TargetCheck;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.service.TargetService;
import ai.loopgpt.dr.backup.storage.BackupLayout;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.common.selfcheck.Check;
import ai.loopgpt.dr.common.selfcheck.PeerProbe;
import ai.loopgpt.dr.common.selfcheck.SelfCheckSource;
import ai.loopgpt.dr.s3.BucketProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * backup-service's wires: the bucket (writable), each target (reachable, dumpable by our pg_dump),
 * the peers alerts and drills go to with their tokens, the alerts' audience, and the scratch
 * destination restore drills need.
 */
@ApplicationScoped
public class BackupSelfCheck implements SelfCheckSource {

    private final BackupSettings settings;
    private final TargetService targets;
    private final BackupStore store;
    private final S3Client s3;
    private final ObjectMapper json;
    private final Clock clock;

    public BackupSelfCheck(BackupSettings settings, TargetService targets, BackupStore store, S3Client s3,
            ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.targets = targets;
        this.store = store;
        this.s3 = s3;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        String probe = BackupLayout.probeKey(UUID.randomUUID().toString());
        checks.add(BucketProbe.writable(s3, store.bucket(), probe, () -> store.putProbe(probe,
                "LoopGPT DR self-check probe; safe to delete\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "text/plain", clock.instant().plusSeconds(60))));
        for (Target target : targets.all()) {
            checks.add(target(target));
        }
        BackupSettings.Alerts alerts = settings.alerts();
        checks.add(PeerProbe.reach("notification-service", "backup alerts", alerts.notificationUrl(), alerts.token(),
                "backup.alerts.notification-url (BACKUP_ALERTS_NOTIFICATION_URL)", "backup.alerts.token (BACKUP_ALERTS_TOKEN)"));
        checks.add(PeerProbe.reach("status-service", "the Backups component", alerts.statusUrl(), alerts.token(),
                "backup.alerts.status-url (BACKUP_ALERTS_STATUS_URL)", "backup.alerts.token (BACKUP_ALERTS_TOKEN)"));
        checks.addAll(PeerProbe.audiences(alerts.notificationUrl(), alerts.token(), List.of(new PeerProbe.AudienceUse(
                "backup alerts", alerts.audience(), alerts.channels(), "backup.alerts.audience",
                "backup.alerts.channels"))));
        BackupSettings.Drills drills = settings.drills();
        if (drills.recoveryUrl().isPresent() || drills.scheduleEnabled()) {
            Check recovery = PeerProbe.reach("recovery-service", "restore drills", drills.recoveryUrl(),
                    drills.recoveryToken(), "backup.drills.recovery-url (BACKUP_DRILLS_RECOVERY_URL)",
                    "backup.drills.recovery-token (BACKUP_DRILLS_RECOVERY_TOKEN)");
            checks.add(recovery);
            if (recovery.ok()) {
                checks.add(scratch(drills));
            }
        }
        return checks;
    }

    private Check target(Target target) {
        String name = "target " + target.name() + " (" + target.user() + "@" + target.host() + ":" + target.port() + "/"
                + target.database() + ")";
        TargetCheck check = targets.check(target.name(), 5);
        if (check.dumpable) {
            return Check.pass(name, "logged in, PostgreSQL " + check.serverVersion + ", dumpable by pg_dump " + check.pgDumpVersion);
        }
        String variable = "BACKUP_TARGETS__" + target.name().toUpperCase().replace('-', '_') + "__";
        String fix;
        if (!check.reachable && check.problem != null && check.problem.contains("password authentication failed")) {
            fix = "Correct " + variable + "PASSWORD (chart: the Secret backup.targets." + target.name() + ".existingSecret).";
        } else if (!check.reachable) {
            fix = "Check " + variable + "HOST, PORT, DATABASE, USER and PASSWORD, and that the server accepts this pod.";
        } else {
            fix = "Install PostgreSQL client tools as new as the server (or set backup.pg-dump).";
        }
        return Check.fail(name, check.problem, fix);
    }

    /** recovery-service has the scratch destination restore drills restore into. */
    private Check scratch(BackupSettings.Drills drills) {
        String wanted = drills.scratchDestination();
        String name = "scratch destination '" + wanted + "' (restore drills)";
        String base = drills.recoveryUrl().get().strip().replaceAll("/+$", "");
        try {
            HttpResponse<String> response = ai.loopgpt.dr.common.outbox.PeerCall.get(URI.create(base + "/api/v1/destinations"),
                    drills.recoveryToken().orElse(""), Duration.ofSeconds(10));
            if (response.statusCode() != 200) {
                return Check.fail(name, "recovery-service answered HTTP " + response.statusCode() + " for its destinations",
                        "Check recovery-service and the drills' token.");
            }
            List<String> scratch = new ArrayList<>();
            Optional<JsonNode> found = Optional.empty();
            for (JsonNode d : json.readTree(response.body())) {
                if (d.path("scratch").asBoolean()) {
                    scratch.add(d.path("name").asText());
                }
                if (d.path("name").asText().equals(wanted)) {
                    found = Optional.of(d);
                }
            }
            if (found.isPresent() && found.get().path("scratch").asBoolean()) {
                return Check.pass(name, "recovery-service has it (" + found.get().path("database").asText() + " on "
                        + found.get().path("host").asText() + ")");
            }
            String detail = found.isPresent() ? "recovery-service's destination '" + wanted + "' is not marked scratch"
                    : "recovery-service has no destination '" + wanted + "'";
            return Check.fail(name, detail + (scratch.isEmpty() ? "; it has no scratch destination at all"
                    : "; its scratch destinations: " + String.join(", ", scratch)),
                    "Define recovery.destinations.\"" + wanted + "\" with scratch=true in recovery-service (chart:"
                    + " recovery.destinations." + wanted + ".scratch: true)" + (scratch.isEmpty() ? ""
                            : ", or set backup.drills.scratch-destination to " + scratch.get(0)) + ".");
        } catch (IOException | IllegalArgumentException e) {
            return Check.fail(name, "recovery-service's destinations could not be read (" + e.getClass().getSimpleName() + ")",
                    "Check backup.drills.recovery-url.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(name, "interrupted", "Run the check again.");
        }
    }
}
