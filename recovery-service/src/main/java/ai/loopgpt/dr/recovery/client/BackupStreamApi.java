package ai.loopgpt.dr.recovery.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** backup-service's change streams API, as recovery-service uses it. Only {@link BackupClient} calls it. */
@RegisterRestClient(configKey = "backup-service")
@Path("/api/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
interface BackupStreamApi {

    @GET
    @Path("/{name}/stream/plan")
    StreamPlanDto plan(@PathParam("name") String target, @QueryParam("toTime") Instant toTime);

    default String bearer() {
        return BackupServiceApi.bearerToken();
    }
}
