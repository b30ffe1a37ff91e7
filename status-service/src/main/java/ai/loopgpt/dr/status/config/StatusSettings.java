package ai.loopgpt.dr.status.config;

import io.smallrye.config.ConfigMapping;
import java.util.List;

/** status-service configuration: the components shown on the page. */
@ConfigMapping(prefix = "status")
public interface StatusSettings {

    /** The components, in page order. */
    List<ComponentSetting> components();

    interface ComponentSetting {
        /** Stable id used in URLs and APIs, e.g. {@code edge-functions}. */
        String id();

        String name();

        /** The group it is shown under, e.g. {@code Providers}. */
        String group();
    }
}
