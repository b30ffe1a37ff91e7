package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.common.web.ClientLimiter;
import ai.loopgpt.dr.common.web.EmailAddresses;
import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.config.StatusSettings;
import ai.loopgpt.dr.status.outbox.OutboxMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The page's email subscription form. A valid request is handed to notification-service (through
 * the outbox), which sends the confirmation mail; the answer is the same whoever subscribes, so
 * nobody can find out who is subscribed.
 */
@Path("/subscribe")
@PermitAll
@Tag(name = "Status page", description = "The status page's email subscription form (the page, its feed and the "
        + "Statuspage-compatible /api/v2 documents are served beside this API and not described here)")
public class SubscribeResource {

    private final Template message;
    private final Clock clock;
    private final ClientLimiter perClient;

    public SubscribeResource(@Location("page/message.html") Template message, Clock clock, StatusSettings settings) {
        this.message = message;
        this.clock = clock;
        this.perClient = new ClientLimiter(settings.edge().subscribeRequestsPerClient(),
                settings.edge().subscribeClientWindow(), clock);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces("text/html; charset=utf-8") // A refused address is a page for the person who typed it.
    @Operation(operationId = "subscribeByForm",
            summary = "Subscribes from the page's form: 303 to the thanks page, the same answer whoever subscribes")
    public Response subscribe(@FormParam("email") String email, @FormParam("components") List<String> components,
            @Context HttpServerRequest request) {
        // The same rule as notification-service's: an address accepted here is never refused there.
        String address = EmailAddresses.normalize(email).orElse(null);
        if (address == null) {
            return page(400, "That is not an email address", "Please go back and enter an address like name@example.com.");
        }
        Set<String> listed = QuarkusTransaction.requiringNew().call(() -> Component.<Component>list("listed = true and shown = true")
                .stream().map(c -> c.id).collect(Collectors.toSet()));
        List<String> chosen = components == null ? List.of() : components.stream().distinct().toList();
        List<String> unknown = chosen.stream().filter(c -> !listed.contains(c)).toList();
        if (!unknown.isEmpty()) {
            // Named up to ten, each shortened: a form posted with thousands of names gets a short page back.
            return page(400, "Unknown components", "These are not on the page: " + unknown.stream().limit(10)
                    .map(ai.loopgpt.dr.common.problem.ProblemException::shorten).collect(Collectors.joining(", "))
                    + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : "") + ".");
        }
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (perClient.allow(client)) {
            Map<String, Object> subscriber = new LinkedHashMap<>();
            subscriber.put("email", address);
            subscriber.put("components", chosen);
            QuarkusTransaction.requiringNew().run(() ->
                    OutboxMessage.enqueue(OutboxMessage.SUBSCRIPTION, "subscribe-" + UUID.randomUUID(), subscriber, clock.instant()));
        }
        // The same answer over the limit. A relative Location: never built from the request's Host header.
        return Response.status(Response.Status.SEE_OTHER).header(HttpHeaders.LOCATION, "/subscribe/thanks").build();
    }

    @jakarta.ws.rs.GET
    @Path("/thanks")
    @APIResponse(responseCode = "200", description = "The page",
            content = @Content(mediaType = "text/html; charset=utf-8", schema = @Schema(type = SchemaType.STRING)))
    @Operation(operationId = "getSubscribeThanksPage", summary = "The page a subscription form leads to")
    public Response thanks() {
        return page(200, "Check your inbox",
                "If the address can receive mail, a confirmation message is on its way. Follow its link to start receiving updates.");
    }

    private Response page(int status, String title, String text) {
        return Response.status(status).type("text/html; charset=utf-8")
                .entity(message.data("title", title).data("text", text).render()).build();
    }
}
