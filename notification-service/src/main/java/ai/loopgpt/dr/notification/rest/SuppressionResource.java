package ai.loopgpt.dr.notification.rest;

import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.notification.Suppression;
import ai.loopgpt.dr.notification.service.SuppressionService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The suppression list: addresses no notification is mailed to. */
@Path("/api/v1/suppressions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Suppressions", description = "Addresses no mail is sent to (bounces, complaints, requests)")
public class SuppressionResource {

    private final SuppressionService suppressions;
    private final SecurityIdentity identity;

    public SuppressionResource(SuppressionService suppressions, SecurityIdentity identity) {
        this.suppressions = suppressions;
        this.identity = identity;
    }

    /** Body of a new suppression. */
    public record NewSuppression(
            @NotBlank @Email @Size(max = 320) String address,
            @NotNull Suppression.Reason reason,
            @Size(max = 500) String note) {
        public NewSuppression {
            address = address == null ? null : address.strip();
        }
    }

    public record SuppressionView(String address, Suppression.Reason reason, String note, String createdBy,
            Instant createdAt) {
        static SuppressionView of(Suppression s) {
            return new SuppressionView(s.address, s.reason, s.note, s.createdBy, s.createdAt);
        }
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "addSuppression", summary = "Stops all mail to an address")
    public SuppressionView suppress(@Valid @NotNull NewSuppression body) {
        return SuppressionView.of(suppressions.suppress(body.address(), body.reason(), body.note(), Callers.subject(identity)));
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(operationId = "listSuppressions", summary = "Lists suppressed addresses, newest first")
    public PageOf<SuppressionView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        PageOf<Suppression> found = suppressions.list(page, size);
        return new PageOf<>(found.items().stream().map(SuppressionView::of).toList(), page, size, found.total());
    }

    @DELETE
    @Path("/{address}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "liftSuppression", summary = "Lets mail reach an address again")
    public void lift(@PathParam("address") String address) {
        suppressions.lift(address);
    }

}
