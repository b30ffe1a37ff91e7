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
 * instead of an empty body. (A body over quarkus.http.limits.max-body-size is still refused by
 * Quarkus itself with an empty 413.)
 */
@ApplicationScoped
public class EdgeErrors {

    /** Longer URIs are refused (the server reads lines up to quarkus.http.limits.max-initial-line-length). */
    static final int MAX_URI = 8192;

    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.request().uri().length() > MAX_URI) {
                problem(ctx, 414, "uri-too-long", "URI too long", "The request URI is longer than " + MAX_URI
                        + " characters; send long values in a body instead.");
                return;
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
