package ai.loopgpt.dr.notification.delivery;

import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.notification.config.NotifySettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audiences a notification can go to, and on which channels each reaches someone (no addresses). */
@Path("/api/v1/audiences")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications")
public class AudienceResource {

    private final NotifySettings settings;

    public AudienceResource(NotifySettings settings) {
        this.settings = settings;
    }

    /** An audience: its name, the channels it has recipients on, and how many recipients it has (configured ones). */
    public record AudienceView(String name, List<String> channels, Integer recipients) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listAudiences",
            summary = "Lists the audiences and the channels on which each reaches someone (status-subscribers: the "
            + "confirmed subscribers, by email)")
    public List<AudienceView> list() {
        List<AudienceView> views = new ArrayList<>();
        views.add(new AudienceView(NotificationService.SUBSCRIBERS, List.of("email"), null));
        for (Map.Entry<String, NotifySettings.Audience> a : new java.util.TreeMap<>(settings.audiences()).entrySet()) {
            NotifySettings.Audience m = a.getValue();
            int recipients = m.email().orElse(List.of()).size() + m.slack().orElse(List.of()).size()
                    + m.webhook().orElse(List.of()).size();
            views.add(new AudienceView(a.getKey(), NotificationService.channels(m), recipients));
        }
        return views;
    }
}
