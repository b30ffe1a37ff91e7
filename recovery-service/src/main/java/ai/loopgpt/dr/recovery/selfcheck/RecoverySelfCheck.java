package ai.loopgpt.dr.recovery.selfcheck;

import ai.loopgpt.dr.common.selfcheck.Check;
import ai.loopgpt.dr.common.selfcheck.PeerProbe;
import ai.loopgpt.dr.common.selfcheck.SelfCheckSource;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.restore.DestinationProbe;
import ai.loopgpt.dr.s3.BucketProbe;
import ai.loopgpt.dr.s3.BucketSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * recovery-service's wires: the bucket it restores from, backup-service, each restore destination,
 * the status page and notification-service that incidents speak through, and the audiences the
 * communication plan sends to (users, team, game day).
 */
@ApplicationScoped
public class RecoverySelfCheck implements SelfCheckSource {

    private final RecoverySettings settings;
    private final S3Client s3;
    private final BucketSettings bucket;
    private final Optional<String> backupUrl;

    public RecoverySelfCheck(RecoverySettings settings, S3Client s3, BucketSettings bucket,
            @ConfigProperty(name = "quarkus.rest-client.backup-service.url") Optional<String> backupUrl) {
        this.settings = settings;
        this.s3 = s3;
        this.bucket = bucket;
        this.backupUrl = backupUrl;
    }

    @Override
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(BucketProbe.readable(s3, bucket.bucket()));
        checks.add(PeerProbe.reach("backup-service", "backups to restore, safety backups", backupUrl,
                settings.backupService().token(), "quarkus.rest-client.backup-service.url (QUARKUS_REST_CLIENT_BACKUP_SERVICE_URL)",
                "recovery.backup-service.token (RECOVERY_BACKUP_SERVICE_TOKEN)"));
        for (Map.Entry<String, RecoverySettings.Destination> d : new TreeMap<>(settings.destinations()).entrySet()) {
            checks.add(DestinationProbe.check(d.getKey(), d.getValue()));
        }
        RecoverySettings.Communication c = settings.communication();
        checks.add(PeerProbe.reach("status-service", "public incidents", c.statusUrl(), c.token(),
                "recovery.communication.status-url (RECOVERY_COMMUNICATION_STATUS_URL)",
                "recovery.communication.token (RECOVERY_COMMUNICATION_TOKEN)"));
        checks.add(PeerProbe.reach("notification-service", "incident messages", c.notificationUrl(), c.token(),
                "recovery.communication.notification-url (RECOVERY_COMMUNICATION_NOTIFICATION_URL)",
                "recovery.communication.token (RECOVERY_COMMUNICATION_TOKEN)"));
        checks.addAll(PeerProbe.audiences(c.notificationUrl(), c.token(), List.of(
                new PeerProbe.AudienceUse("incident notifications to users", c.usersAudience(),
                        Optional.of(c.usersChannels().orElse(List.of("email"))),
                        "recovery.communication.users-audience", "recovery.communication.users-channels"),
                new PeerProbe.AudienceUse("incident messages to the team", c.teamAudience(), c.teamChannels(),
                        "recovery.communication.team-audience", "recovery.communication.team-channels"),
                new PeerProbe.AudienceUse("game days", c.drillAudience(), c.drillChannels(),
                        "recovery.communication.drill-audience", "recovery.communication.drill-channels"))));
        return checks;
    }
}
