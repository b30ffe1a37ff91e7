package ai.loopgpt.dr.backup.rest;

import ai.loopgpt.dr.backup.service.CatalogService;
import ai.loopgpt.dr.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The catalog of backups, a cache of the manifests in the bucket. */
@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog", description = "The catalog of backups, rebuilt from the manifests in the bucket")
public class CatalogResource {

    private final CatalogService catalog;

    public CatalogResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @POST
    @Path("/rebuild")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "rebuildCatalog", summary = "Rebuilds the catalog from the manifests in the bucket alone")
    public CatalogService.Report rebuild() {
        return catalog.rebuild();
    }
}
