package ai.loopgpt.dr.recovery.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** backup-service's backups API, as recovery-service uses it. Only {@link BackupClient} calls it. */
@RegisterRestClient(configKey = "backup-service")
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
interface BackupServiceApi {

    @GET
    @Path("/{id}")
    BackupDto get(@PathParam("id") UUID id);

    @GET
    BackupDto.Page list(@QueryParam("target") String target, @QueryParam("status") String status,
            @QueryParam("before") Instant before, @QueryParam("size") int size);

    @POST
    BackupDto request(BackupDto.Request request);

    default String bearer() {
        return bearerToken();
    }

    /** The Authorization header of every call to backup-service: its service token, if configured. */
    static String bearerToken() {
        return ConfigProvider.getConfig().getOptionalValue("recovery.backup-service.token", String.class)
                .map(token -> "Bearer " + token).orElse("");
    }
}
