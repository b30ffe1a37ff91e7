package ai.loopgpt.dr.notification.rest;

import ai.loopgpt.dr.notification.service.SubscriberService;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
@Tag(name = "Subscribers")
public class SubscriberResource {

    private static final String HTML = "text/html; charset=utf-8";
    private final SubscriberService subscribers;

    public SubscriberResource(SubscriberService subscribers) {
        this.subscribers = subscribers;
    }

    /** Body of a subscription. */
    public record Subscription(@NotBlank @Email @Size(max = 320) String email,
            List<@Size(max = 64) String> components) {
        public Subscription {
            email = email == null ? null : email.strip();
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Asks for updates by email: a confirmation mail follows (double opt-in)")
    public Response subscribe(@Valid @NotNull Subscription body) {
        subscribers.subscribe(body.email(), body.components() == null ? List.of() : body.components());
        return Response.accepted(Map.of("message",
                "If the address can receive mail, a confirmation message is on its way.")).build();
    }

    @GET
    @Path("/confirm")
    @Produces(HTML)
    @Operation(summary = "Confirms a subscription (the link of the confirmation mail; works once)")
    public Response confirm(@QueryParam("token") String token) {
        return subscribers.confirm(token).isPresent()
                ? page(200, "Subscription confirmed", "You will receive LoopGPT status updates by email.")
                : page(404, "Link not valid", "This confirmation link is not valid or was already used.");
    }

    @GET
    @Path("/unsubscribe")
    @Produces(HTML)
    @Operation(summary = "The unsubscribe page of the link in every mail (a button, so that link checkers do nothing)")
    public Response unsubscribePage(@QueryParam("token") String token) {
        String safe = token == null ? "" : token.replaceAll("[^A-Za-z0-9_-]", "");
        return Response.ok("<!DOCTYPE html><html lang=\"en\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>Unsubscribe</title><body><main><h1>Stop LoopGPT status updates?</h1>"
                + "<form method=\"post\" action=\"/api/v1/subscribers/unsubscribe?token=" + safe + "\">"
                + "<button type=\"submit\">Unsubscribe</button></form></main></body></html>", HTML).build();
    }

    @POST
    @Path("/unsubscribe")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    @Produces(HTML)
    @Operation(summary = "Unsubscribes (RFC 8058 one-click: List-Unsubscribe=One-Click)")
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
