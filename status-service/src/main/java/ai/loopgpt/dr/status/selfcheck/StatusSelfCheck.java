package ai.loopgpt.dr.status.selfcheck;

import ai.loopgpt.dr.common.selfcheck.Check;
import ai.loopgpt.dr.common.selfcheck.PeerProbe;
import ai.loopgpt.dr.common.selfcheck.SelfCheckSource;
import ai.loopgpt.dr.status.config.StatusSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** status-service's one outward wire: notification-service, which mails the page's subscribers. */
@ApplicationScoped
public class StatusSelfCheck implements SelfCheckSource {

    private final StatusSettings settings;
    private final Optional<String> notificationUrl;

    public StatusSelfCheck(StatusSettings settings,
            @ConfigProperty(name = "quarkus.rest-client.notification-service.url") Optional<String> notificationUrl) {
        this.settings = settings;
        this.notificationUrl = notificationUrl;
    }

    @Override
    public List<Check> checks() {
        return List.of(PeerProbe.reach("notification-service", "subscriptions and subscriber mails", notificationUrl,
                settings.notificationService().token(),
                "quarkus.rest-client.notification-service.url (QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL)",
                "status.notification-service.token (STATUS_NOTIFICATION_SERVICE_TOKEN)"));
    }
}
