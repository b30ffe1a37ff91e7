package ai.loopgpt.dr.status.rest;

import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.ComponentStatus;
import ai.loopgpt.dr.status.service.ComponentService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API of the page's components. */
@Path("/api/v1/components")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Components", description = "The components shown on the status page and their status")
public class ComponentResource {

    private final ComponentService components;

    public ComponentResource(ComponentService components) {
        this.components = components;
    }

    /** A component as the admin API shows it. */
    public record ComponentView(String id, String name, String group, ComponentStatus status, int position,
            boolean shown, Instant createdAt, Instant updatedAt) {
        static ComponentView of(Component c) {
            return new ComponentView(c.id, c.name, c.group, c.status, c.position, c.shown, c.createdAt, c.updatedAt);
        }
    }

    /** Body of a status change. */
    public record StatusChange(@NotNull ComponentStatus status) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listComponents", summary = "Lists the components in page order")
    public List<ComponentView> list() {
        return components.listed().stream().map(ComponentView::of).toList();
    }

    @PUT
    @Path("/{id}/status")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "setComponentStatus", summary = "Sets a component's status")
    public ComponentView setStatus(@PathParam("id") String id, @Valid @NotNull StatusChange change) {
        return ComponentView.of(components.setStatus(id, change.status()));
    }
}
