package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.status.config.StatusSettings;
import io.netty.buffer.Unpooled;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The public side of status.loopgpt.ai: the HTML pages, the Atom feed and the Statuspage v2 JSON,
 * served straight from the in-memory snapshot on the event loop (no database, no blocking), with
 * ETag, Cache-Control and the snapshot's age. When the snapshot is stale (the database is
 * unreachable), the home page says how old it is. The public needs no token here.
 */
@ApplicationScoped
public class PublicRoutes {

    /** How old the served snapshot is, in seconds. */
    public static final String SNAPSHOT_AGE = "X-Snapshot-Age";
    static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String SVG = "image/svg+xml";
    private static final String SCRIPT = "text/javascript; charset=utf-8";
    /** The in-app banner other origins include: the same bytes for the life of the process. */
    private static final PageSnapshot.Rendered BANNER = banner();
    // Header names and values built once: the hot path only copies them.
    private static final CharSequence AGE_HEADER = HttpHeaders.createOptimized(SNAPSHOT_AGE);
    private static final CharSequence CSP = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence REFERRER = HttpHeaders.createOptimized("strict-origin-when-cross-origin");
    private static final CharSequence ANY_ORIGIN = HttpHeaders.createOptimized("*");
    private static final Map<String, CharSequence> TYPES = Map.of(
            HTML, HttpHeaders.createOptimized(HTML), JSON, HttpHeaders.createOptimized(JSON),
            "application/atom+xml; charset=utf-8", HttpHeaders.createOptimized("application/atom+xml; charset=utf-8"),
            SVG, HttpHeaders.createOptimized(SVG), SCRIPT, HttpHeaders.createOptimized(SCRIPT));
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> V2_DOCUMENTS = Map.of(
            "/api/v2/summary.json", "summary.json",
            "/api/v2/status.json", "status.json",
            "/api/v2/components.json", "components.json",
            "/api/v2/incidents.json", "incidents.json",
            "/api/v2/incidents/unresolved.json", "incidents/unresolved.json",
            "/api/v2/scheduled-maintenances.json", "scheduled-maintenances.json",
            "/api/v2/scheduled-maintenances/upcoming.json", "scheduled-maintenances/upcoming.json",
            "/api/v2/scheduled-maintenances/active.json", "scheduled-maintenances/active.json");

    private final PageSnapshot snapshots;
    private final Clock clock;
    private final CharSequence cache;
    private final CharSequence policy;

    public PublicRoutes(PageSnapshot snapshots, Clock clock, StatusSettings settings) {
        this.snapshots = snapshots;
        this.clock = clock;
        this.cache = HttpHeaders.createOptimized(settings.edge().cacheControl());
        this.policy = HttpHeaders.createOptimized(contentSecurityPolicy(settings.edge().frameAncestors()));
    }

    /** The page runs no script at all; it styles itself inline and posts only its own subscribe form. */
    static String contentSecurityPolicy(String frameAncestors) {
        return "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
                + "base-uri 'none'; frame-ancestors " + frameAncestors;
    }

    /** The headers every public answer carries, errors included. */
    private void secure(HttpServerResponse response) {
        response.putHeader(CSP, policy)
                .putHeader(CONTENT_TYPE_OPTIONS, NOSNIFF)
                .putHeader(REFERRER_POLICY, REFERRER);
    }

    void routes(@Observes Router router) {
        // GET and HEAD alike (monitors and CDNs check with HEAD); Vert.x sends no body for HEAD.
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
            V2_DOCUMENTS.forEach((path, document) -> router.route(method, path).handler(ctx -> serve(ctx, document, JSON)));
            router.route(method, "/").handler(ctx -> serve(ctx, "/", HTML));
            router.route(method, "/history").handler(ctx -> serve(ctx, "/history", HTML));
            router.route(method, "/history.atom").handler(ctx -> serve(ctx, "/history.atom", "application/atom+xml; charset=utf-8"));
            router.routeWithRegex(method, "/incidents/([a-z0-9]{1,40})")
                    .handler(ctx -> serve(ctx, "/incidents/" + ctx.pathParam("param0"), HTML));
            router.route(method, "/badge.svg").handler(ctx -> serve(ctx, "/badge.svg", SVG));
            router.route(method, "/embed/banner.js").handler(this::serveBanner);
            router.routeWithRegex(method, "/components/([a-z0-9][a-z0-9-]{0,62})/badge\\.svg")
                    .handler(ctx -> serve(ctx, "/components/" + ctx.pathParam("param0") + "/badge.svg", SVG));
        }
        // CORS preflight of the JSON API, which any page may read (as Statuspage's).
        router.options("/api/v2/*").handler(ctx -> {
            secure(ctx.response());
            String headers = ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
            ctx.response().setStatusCode(204)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers == null || !headers.matches("[A-Za-z0-9, -]{1,200}")
                            ? "Content-Type, If-None-Match" : headers)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "86400")
                    .putHeader(HttpHeaders.ALLOW, "GET, HEAD, OPTIONS")
                    .end();
        });
    }

    private void serve(RoutingContext ctx, String document, String type) {
        PageSnapshot.Snapshot snapshot = snapshots.latest();
        HttpServerResponse response = ctx.response();
        secure(response);
        if (snapshot == null) {
            response.setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .putHeader(HttpHeaders.RETRY_AFTER, "10")
                    .end("{\"type\":\"https://status.loopgpt.ai/problems/service-unavailable\",\"title\":\"Service unavailable\","
                            + "\"status\":503,\"detail\":\"The status page has no data yet; retry in a few seconds.\"}");
            return;
        }
        PageSnapshot.Rendered rendered = snapshot.documents().get(document);
        if (rendered == null) {
            response.setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, HTML)
                    .end("<!DOCTYPE html><title>Not found</title><p>Nothing here. <a href=\"/\">Back to the status page</a>.</p>");
            return;
        }
        long age = Math.max(0, (clock.millis() - snapshot.builtAt().toEpochMilli()) / 1000);
        if ("/".equals(document) && age > STALE_AFTER.toSeconds()) {
            rendered = PageSnapshot.render(snapshots.renderer().index(snapshot.model().withStale(
                    "Live updates are delayed: this is the status as of " + WHEN.format(snapshot.builtAt()) + " ("
                            + (age / 60) + " minutes ago).")));
        }
        response.putHeader(HttpHeaders.ETAG, rendered.etagHeader())
                .putHeader(HttpHeaders.CACHE_CONTROL, cache)
                .putHeader(AGE_HEADER, Long.toString(age));
        if (JSON.equals(type)) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN);
        }
        String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && rendered.etag().equals(ifNoneMatch)) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(type))
                .end(Buffer.buffer(Unpooled.wrappedBuffer(rendered.bytes())));
    }

    private static PageSnapshot.Rendered banner() {
        java.io.InputStream resource = PublicRoutes.class.getResourceAsStream("/embed/banner.js");
        if (resource == null) {
            throw new IllegalStateException("embed/banner.js is missing from the application");
        }
        try (resource) {
            return PageSnapshot.render(new String(resource.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The banner script, for pages of any origin: cached like the page, loadable cross-origin. */
    private void serveBanner(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        secure(response);
        response.putHeader(HttpHeaders.ETAG, BANNER.etagHeader())
                .putHeader(HttpHeaders.CACHE_CONTROL, cache)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN)
                .putHeader("Cross-Origin-Resource-Policy", "cross-origin");
        if (BANNER.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(SCRIPT)).end(Buffer.buffer(BANNER.bytes()));
    }

    void warm(@Observes StartupEvent start) {
        snapshots.current();
    }
}
