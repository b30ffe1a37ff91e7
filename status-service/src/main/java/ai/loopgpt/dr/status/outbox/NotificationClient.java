package ai.loopgpt.dr.status.outbox;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** notification-service, as status-service calls it. Only {@link OutboxDispatcher} uses it. */
@RegisterRestClient(configKey = "notification-service")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
interface NotificationClient {

    @POST
    @Path("/notifications")
    Response notify(Map<String, Object> notification);

    @POST
    @Path("/subscribers")
    Response subscribe(Map<String, Object> subscriber);

    default String bearer() {
        return ConfigProvider.getConfig().getOptionalValue("status.notification-service.token", String.class)
                .map(token -> "Bearer " + token).orElse("");
    }
}
