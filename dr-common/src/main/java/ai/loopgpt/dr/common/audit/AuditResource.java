package ai.loopgpt.dr.common.audit;

import ai.loopgpt.dr.common.audit.AuditEntry.Outcome;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log of this service, newest first. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit",
        description = "The append-only audit log of this service: every mutating call and every refused call")
public class AuditResource {

    private final AuditLog auditLog;

    public AuditResource(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(operationId = "listAuditRecords", summary = "Lists audit records, newest first, with filters and paging")
    public PageOf<AuditEntry> list(
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("target") String target,
            @QueryParam("outcome") Outcome outcome,
            @QueryParam("since") Instant since,
            @QueryParam("until") Instant until,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return auditLog.find(new AuditLog.Query(actor, action, target, outcome, since, until), page, size);
    }
}
