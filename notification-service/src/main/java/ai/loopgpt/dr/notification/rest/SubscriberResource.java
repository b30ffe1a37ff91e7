package ai.loopgpt.dr.notification.rest;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.ClientLimiter;
import ai.loopgpt.dr.common.web.EmailAddresses;
import ai.loopgpt.dr.notification.config.NotifySettings;
import ai.loopgpt.dr.notification.service.SubscriberService;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Public subscription endpoints (the status page's form posts here through status-service):
 * subscribe with double opt-in, confirm, and one-click unsubscribe (RFC 8058). Answers are the same
 * whether or not an address is known, so nobody can find out who is subscribed.
 */
@Path("/api/v1/subscribers")
@PermitAll
@Tag(name = "Subscribers",
        description = "Email subscriptions to status updates: subscribe, confirm (double opt-in), unsubscribe")
public class SubscriberResource {

    private static final String HTML = "text/html; charset=utf-8";
    private final SubscriberService subscribers;
    private final SecurityIdentity identity;
    private final ClientLimiter perClient;

    public SubscriberResource(SubscriberService subscribers, SecurityIdentity identity, NotifySettings settings,
            Clock clock) {
        this.subscribers = subscribers;
        this.identity = identity;
        this.perClient = new ClientLimiter(settings.subscribers().requestsPerClient(),
                settings.subscribers().clientWindow(), clock);
    }

    /** Body of a subscription. */
    public record Subscription(@NotBlank @Size(max = 320) String email, List<@Size(max = 64) String> components) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSubscription",
            summary = "Asks for updates by email: a confirmation mail follows (double opt-in), at most a few a day "
            + "per address; the answer is the same whether a mail was sent or not")
    public Response subscribe(@Valid @NotNull Subscription body, @Context HttpServerRequest request) {
        String address = EmailAddresses.normalize(body.email()).orElseThrow(() -> ProblemException.badRequest(
                "email is not an address the status page accepts: use a plain name@example.com."));
        List<String> components = body.components() == null ? List.of() : body.components();
        if (components.stream().anyMatch(c -> c == null || c.isBlank() || !c.matches("[a-z0-9-]{1,64}"))) {
            throw ProblemException.badRequest("components must be component ids such as \"api\" or \"orders\".");
        }
        // status-service (dr-service) limits its own public form; anonymous callers are limited here.
        boolean trusted = identity.hasRole(Roles.SERVICE);
        if (trusted || perClient.allow(request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress())) {
            subscribers.subscribe(address, components.stream().distinct().toList());
        }
        return Response.accepted(Map.of("message",
                "If the address can receive mail, a confirmation message is on its way.")).build();
    }

    @GET
    @Path("/confirm")
    @Produces(HTML)
    @Operation(operationId = "getConfirmationPage",
            summary = "The confirmation page of the link in the mail: a button that confirms (mail scanners follow "
            + "links; they do not press buttons)")
    public Response confirmPage(@QueryParam("token") String token) {
        return buttonPage("Confirm", "Receive LoopGPT status updates?", "confirm", token, "Confirm my subscription");
    }

    @POST
    @Path("/confirm")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    @Produces(HTML)
    @Operation(operationId = "confirmSubscription",
            summary = "Confirms a subscription (the button of the confirmation page; works once)")
    public Response confirm(@QueryParam("token") String token) {
        return subscribers.confirm(token).isPresent()
                ? page(200, "Subscription confirmed", "You will receive LoopGPT status updates by email.")
                : page(404, "Link not valid", "This confirmation link is not valid or was already used.");
    }

    @GET
    @Path("/unsubscribe")
    @Produces(HTML)
    @Operation(operationId = "getUnsubscribePage",
            summary = "The unsubscribe page of the link in every mail (a button, so that link checkers do nothing)")
    public Response unsubscribePage(@QueryParam("token") String token) {
        return buttonPage("Unsubscribe", "Stop LoopGPT status updates?", "unsubscribe", token, "Unsubscribe");
    }

    /** A page whose one button POSTs {@code token} to {@code action}: what a link in a mail opens. */
    private static Response buttonPage(String title, String heading, String action, String token, String label) {
        String safe = token == null ? "" : token.replaceAll("[^A-Za-z0-9_-]", "");
        return Response.ok("<!DOCTYPE html><html lang=\"en\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + title + "</title><body><main><h1>" + heading + "</h1>"
                + "<form method=\"post\" action=\"/api/v1/subscribers/" + action + "?token=" + safe + "\">"
                + "<button type=\"submit\">" + label + "</button></form></main></body></html>", HTML).build();
    }

    @POST
    @Path("/unsubscribe")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    @Produces(HTML)
    @Operation(operationId = "cancelSubscription",
            summary = "Unsubscribes (RFC 8058 one-click: List-Unsubscribe=One-Click)")
    public Response unsubscribe(@QueryParam("token") String token) {
        subscribers.unsubscribe(token);
        return page(200, "Unsubscribed", "You will not receive LoopGPT status updates any more.");
    }

    private static Response page(int status, String title, String text) {
        return Response.status(status).type(HTML).entity("<!DOCTYPE html><html lang=\"en\"><meta name=\"viewport\" "
                + "content=\"width=device-width\"><title>" + title + "</title><body><main><h1>" + title + "</h1><p>" + text
                + "</p></main></body></html>").build();
    }
}
