package ai.loopgpt.dr.common.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;

/**
 * What HTTP itself refuses before any resource runs (a URI too long, a form that cannot be
 * decoded) answered as {@code application/problem+json} with a detail, like everything else,
 * instead of an empty body. A body declared larger than quarkus.http.limits.max-body-size is
 * refused before it is read, as Quarkus would, but with a problem; the connection is then closed,
 * so a client that sent {@code Expect: 100-continue} never sends it and one that did not stops.
 */
@ApplicationScoped
public class EdgeErrors {

    /** Longer URIs are refused (the server reads lines up to quarkus.http.limits.max-initial-line-length). */
    static final int MAX_URI = 8192;

    /**
     * Larger headers (names, values and their separators together) are refused; the server reads up
     * to quarkus.http.limits.max-header-size, beyond which Vert.x answers a bare 431 itself.
     */
    static final int MAX_HEADERS = 20 * 1024;

    /** Where Quarkus' upload-limit handler (route order -2) leaves the limit for an undeclared length. */
    private static final String QUARKUS_MAX_REQUEST_SIZE = "io.quarkus.max-request-size";

    void routes(@Observes Router router) {
        long maxBody = BodyLimit.limit();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.request().uri().length() > MAX_URI) {
                problem(ctx, 414, "uri-too-long", "URI too long", "The request URI is longer than " + MAX_URI
                        + " characters; send long values in a body instead.");
                return;
            }
            if (headerBytes(ctx) > MAX_HEADERS) {
                problem(ctx, 431, "headers-too-large", "Request header fields too large", "The request's headers "
                        + "take more than " + MAX_HEADERS + " bytes; send large values in the body, and check for a "
                        + "cookie or token that keeps growing.");
                return;
            }
            if (declaredLength(ctx) > maxBody) {
                ctx.response().endHandler(ended -> ctx.request().connection().close());
                problem(ctx, 413, "payload-too-large", "Payload too large", BodyLimit.detail(maxBody));
                return;
            }
            ctx.next();
        });
        // A body of undeclared length: Quarkus' reader would end the answer with an empty 413 at the
        // limit; BodyLimit refuses it first, as a problem. Quarkus' check stays, further out, as a backstop.
        router.route().order(-1).handler(ctx -> {
            if (ctx.get(QUARKUS_MAX_REQUEST_SIZE) instanceof Long limit && limit < Long.MAX_VALUE / 2) {
                ctx.put(QUARKUS_MAX_REQUEST_SIZE, limit * 2);
            }
            ctx.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (ctx.response().ended() || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            switch (status) {
                case 413 -> problem(ctx, 413, "payload-too-large", "Payload too large",
                        "The request body is larger than this service accepts (quarkus.http.limits.max-body-size).");
                case 414 -> problem(ctx, 414, "uri-too-long", "URI too long", "The request URI is too long.");
                case 431 -> problem(ctx, 431, "headers-too-large", "Request header fields too large",
                        "The request's headers are too large.");
                case 400 -> {
                    if (ctx.failure() == null || ctx.failure().getClass().getName().startsWith("io.vertx")
                            || ctx.failure() instanceof IllegalArgumentException) {
                        problem(ctx, 400, "bad-request", "Bad request", "The request could not be read: a malformed "
                                + "form or query (a bad %-escape, too many parameters) or an unreadable body.");
                    } else {
                        ctx.next();
                    }
                }
                default -> ctx.next();
            }
        });
    }

    private static long headerBytes(RoutingContext ctx) {
        long bytes = 0;
        for (var header : ctx.request().headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
        }
        return bytes;
    }

    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Refused by the HTTP codec itself.
        }
    }

    private static void problem(RoutingContext ctx, int status, String type, String title, String detail) {
        String requestId = UUID.randomUUID().toString();
        JsonObject body = new JsonObject()
                .put("type", "https://status.loopgpt.ai/problems/" + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("requestId", requestId);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("X-Request-Id", requestId)
                .putHeader("Connection", "close")
                .end(body.encode());
    }
}
