package ai.loopgpt.dr.status.page;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public pages (status.loopgpt.ai): server-rendered HTML, no JavaScript, served from the
 * in-memory snapshot. When the snapshot is stale (the database is unreachable), the home page says
 * how old it is.
 */
@Path("/")
@PermitAll
@Tag(name = "Public status page")
public class PublicPageResource {

    static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private static final String HTML = "text/html; charset=utf-8";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final PageSnapshot snapshots;
    private final Clock clock;

    public PublicPageResource(PageSnapshot snapshots, Clock clock) {
        this.snapshots = snapshots;
        this.clock = clock;
    }

    private Response serve(String path, String type, String ifNoneMatch) {
        PageSnapshot.Snapshot snapshot = snapshots.current();
        PageSnapshot.Rendered rendered = snapshot.documents().get(path);
        if (rendered == null) {
            throw new NotFoundException();
        }
        Duration age = Duration.between(snapshot.builtAt(), clock.instant());
        if ("/".equals(path) && age.compareTo(STALE_AFTER) > 0) {
            rendered = PageSnapshot.render(snapshots.renderer().index(snapshot.model().withStale(
                    "Live updates are delayed: this is the status as of " + WHEN.format(snapshot.builtAt()) + " ("
                            + age.toMinutes() + " minutes ago).")));
        }
        Response.ResponseBuilder response = rendered.etag().equals(ifNoneMatch)
                ? Response.notModified() : Response.ok(rendered.bytes(), type);
        return response.header(HttpHeaders.ETAG, rendered.etag())
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=10")
                .header(PublicApiResource.SNAPSHOT_AGE, Math.max(0, age.toSeconds()))
                .build();
    }

    @GET
    @Operation(summary = "The status page")
    public Response index(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("/", HTML, etag);
    }

    @GET
    @Path("history")
    public Response history(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("/history", HTML, etag);
    }

    @GET
    @Path("history.atom")
    public Response feed(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("/history.atom", "application/atom+xml; charset=utf-8", etag);
    }

    @GET
    @Path("incidents/{id}")
    public Response incident(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String etag) {
        return serve("/incidents/" + id, HTML, etag);
    }
}
