package ai.loopgpt.dr.status.rest;

import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.status.service.ProbeRunner;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the probes check and what they last found, URLs and errors included: for operators, never the public. */
@Path("/api/v1/probes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Probes", description = "The probes that detect outages by themselves")
public class ProbeResource {

    private final ProbeRunner probes;

    public ProbeResource(ProbeRunner probes) {
        this.probes = probes;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listProbes",
            summary = "Lists the probes with their URL and last result, as the replica answering knows them "
            + "(the replica leading the probes has checkedHere = true)")
    public List<ProbeRunner.ProbeView> list() {
        return probes.views();
    }
}
