package ai.loopgpt.dr.recovery.restore.rest;

import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The restore allow-list: where backups may be restored to, and which destinations are scratch (drills). */
@Path("/api/v1/destinations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Restores")
public class DestinationResource {

    private final RecoverySettings settings;

    public DestinationResource(RecoverySettings settings) {
        this.settings = settings;
    }

    /** A destination as configured, without its password. */
    public record DestinationView(String name, String host, int port, String database, String user, boolean scratch) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listDestinations",
            summary = "Lists the restore destinations (the allow-list); scratch ones take drill restores only")
    public List<DestinationView> list() {
        return new TreeMap<>(settings.destinations()).entrySet().stream().map(e -> new DestinationView(e.getKey(),
                e.getValue().host(), e.getValue().port(), e.getValue().database(), e.getValue().user(),
                e.getValue().scratch())).toList();
    }
}
