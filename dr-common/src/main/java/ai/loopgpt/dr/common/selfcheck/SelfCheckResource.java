package ai.loopgpt.dr.common.selfcheck;

import ai.loopgpt.dr.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This service's outward wires, each checked now from here: what {@code drctl doctor} prints. */
@Path("/api/v1/self-check")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Self-check",
        description = "Checks of this service's outward wires (database, peers, S3, mail) and of the caller's token")
public class SelfCheckResource {

    private final SelfCheck selfCheck;
    private final SecurityIdentity identity;

    public SelfCheckResource(SelfCheck selfCheck, SecurityIdentity identity) {
        this.selfCheck = selfCheck;
        this.identity = identity;
    }

    /** Who the caller's token says it is: how a peer checks that its token is accepted here. */
    public record Caller(String subject, java.util.Set<String> roles) {
    }

    @GET
    @Path("/caller")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getCaller",
            summary = "Says who the caller's token names and with which roles (peers check their token with it)")
    public Caller caller() {
        return new Caller(identity.getPrincipal().getName(), new java.util.TreeSet<>(identity.getRoles()));
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "runSelfCheck",
            summary = "Checks every outward wire of this service (database peers, S3, SMTP, Slack, audiences, "
            + "targets): 200 with one line per check, ok only if all passed")
    public SelfCheckReport check() {
        return selfCheck.run();
    }
}
