package ai.loopgpt.dr.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/** notification-service configuration. */
@ConfigMapping(prefix = "notify")
public interface NotifySettings {

    /** Named lists of email addresses, e.g. on-call, team. */
    Map<String, List<String>> audiences();

    Delivery delivery();

    /** Where people reach this service's public links (confirmation, unsubscribe). */
    @WithDefault("http://localhost:8083")
    String publicUrl();

    interface Delivery {
        /** Attempts before a delivery is moved to the dead-letter state. */
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("1s")
        String every();
    }
}
