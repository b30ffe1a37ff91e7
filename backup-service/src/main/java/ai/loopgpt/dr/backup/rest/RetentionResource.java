package ai.loopgpt.dr.backup.rest;

import ai.loopgpt.dr.backup.service.RetentionService;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Retention on request (it also runs every backup.sweep.every). */
@Path("/api/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Retention", description = "Retention: which backups expire, and the sweep that deletes them")
public class RetentionResource {

    private final RetentionService retention;
    private final SecurityIdentity identity;

    public RetentionResource(RetentionService retention, SecurityIdentity identity) {
        this.retention = retention;
        this.identity = identity;
    }

    @POST
    @Path("/sweep")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "sweepRetention",
            summary = "Deletes every expired backup nothing protects; lists those deleted, kept (and why) and failed")
    public RetentionService.Sweep sweep() {
        return retention.sweep(Callers.subject(identity));
    }
}
