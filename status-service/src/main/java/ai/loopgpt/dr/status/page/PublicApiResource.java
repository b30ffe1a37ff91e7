package ai.loopgpt.dr.status.page;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public JSON API, Statuspage v2 compatible, served from the in-memory snapshot with an ETag
 * and Cache-Control; it keeps answering when the database is down.
 */
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "Public status (Statuspage v2)")
public class PublicApiResource {

    /** How old the served snapshot is, in seconds. */
    public static final String SNAPSHOT_AGE = "X-Snapshot-Age";

    private final PageSnapshot snapshots;
    private final Clock clock;

    public PublicApiResource(PageSnapshot snapshots, Clock clock) {
        this.snapshots = snapshots;
        this.clock = clock;
    }

    private Response serve(String document, String ifNoneMatch) {
        PageSnapshot.Snapshot snapshot = snapshots.current();
        PageSnapshot.Rendered rendered = snapshot.documents().get(document);
        long age = Math.max(0, Duration.between(snapshot.builtAt(), clock.instant()).toSeconds());
        Response.ResponseBuilder response = rendered.etag().equals(ifNoneMatch)
                ? Response.notModified() : Response.ok(rendered.bytes(), MediaType.APPLICATION_JSON_TYPE);
        return response.header(HttpHeaders.ETAG, rendered.etag())
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=10")
                .header("Access-Control-Allow-Origin", "*")
                .header(SNAPSHOT_AGE, age)
                .build();
    }

    @GET
    @Path("/summary.json")
    @Operation(summary = "Page, overall status, components, unresolved incidents, active and upcoming maintenances")
    public Response summary(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("summary.json", etag);
    }

    @GET
    @Path("/status.json")
    public Response status(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("status.json", etag);
    }

    @GET
    @Path("/components.json")
    public Response components(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("components.json", etag);
    }

    @GET
    @Path("/incidents.json")
    public Response incidents(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("incidents.json", etag);
    }

    @GET
    @Path("/incidents/unresolved.json")
    public Response unresolved(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("incidents/unresolved.json", etag);
    }

    @GET
    @Path("/scheduled-maintenances.json")
    public Response maintenances(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("scheduled-maintenances.json", etag);
    }

    @GET
    @Path("/scheduled-maintenances/upcoming.json")
    public Response upcoming(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("scheduled-maintenances/upcoming.json", etag);
    }

    @GET
    @Path("/scheduled-maintenances/active.json")
    public Response active(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("scheduled-maintenances/active.json", etag);
    }
}
