package ai.loopgpt.dr.notification.delivery;

import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sending notifications from templates, and following their deliveries. */
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications",
        description = "Notifications sent from a template to an audience, and their deliveries per channel")
public class NotificationResource {

    private final NotificationService notifications;
    private final SecurityIdentity identity;
    private final Dispatcher dispatcher;

    public NotificationResource(NotificationService notifications, SecurityIdentity identity, Dispatcher dispatcher) {
        this.notifications = notifications;
        this.identity = identity;
        this.dispatcher = dispatcher;
    }

    /** Body of a send; without channels, the message goes out on every channel the audience has. */
    public record Send(@NotBlank String template, @Size(min = 1, max = 3) List<String> channels, @NotBlank String audience,
            List<String> components, Map<String, Object> variables, @NotBlank @Size(max = 200) String idempotencyKey) {
    }

    public record DeliveryView(UUID id, String channel, String recipient, Delivery.State state, int attempts,
            Instant nextAttemptAt, Instant sentAt, String lastError) {
    }

    public record NotificationView(UUID id, String template, String audience, String idempotencyKey,
            String requestedBy, Instant createdAt, List<DeliveryView> deliveries) {
    }

    private NotificationView view(Notification n) {
        return new NotificationView(n.id, n.template, n.audience, n.idempotencyKey, n.requestedBy, n.createdAt,
                notifications.deliveries(n.id).stream().map(NotificationResource::deliveryView).toList());
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "sendNotification",
            summary = "Sends a template to an audience: 202 with the notification's URL; the same idempotencyKey never sends twice")
    public Response send(@Valid @NotNull Send body, @Context UriInfo uri) {
        NotificationService.Accepted accepted = notifications.accept(body.template(), body.channels(), body.audience(),
                body.components() == null ? List.of() : body.components(),
                body.variables() == null ? Map.of() : body.variables(), body.idempotencyKey(), Callers.subject(identity));
        return Response.status(accepted.created() ? 202 : 200).entity(view(accepted.notification()))
                .location(uri.getBaseUriBuilder().path("/api/v1/notifications/" + accepted.notification().id).build())
                .build();
    }

    @POST
    @Path("/{id}/retry")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "retryNotification", summary = "Sends the dead deliveries of a notification again")
    public NotificationView retry(@PathParam("id") UUID id) {
        Notification notification = notifications.get(id);
        if (dispatcher.retryDead(id) == 0) {
            throw ai.loopgpt.dr.common.problem.ProblemException.conflict("Notification " + id
                    + " has no dead delivery to retry.");
        }
        return view(notification);
    }

    /** A notification in a list: its deliveries counted by state. */
    public record NotificationSummary(UUID id, String template, String audience, String idempotencyKey,
            String requestedBy, Instant createdAt, Map<Delivery.State, Long> deliveries) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listNotifications",
            summary = "Lists notifications, newest first, with their deliveries counted by state")
    public ai.loopgpt.dr.common.web.PageOf<NotificationSummary> list(
            @jakarta.ws.rs.QueryParam("page") @jakarta.ws.rs.DefaultValue("0") @jakarta.validation.constraints.Min(0) int page,
            @jakarta.ws.rs.QueryParam("size") @jakarta.ws.rs.DefaultValue("50") @jakarta.validation.constraints.Min(1)
            @jakarta.validation.constraints.Max(500) int size,
            @jakarta.ws.rs.QueryParam("template") String template) {
        var found = notifications.list(page, size, template);
        return new ai.loopgpt.dr.common.web.PageOf<>(found.items().stream().map(e -> {
            Notification n = e.getKey();
            Map<Delivery.State, Long> counts = new java.util.EnumMap<>(Delivery.State.class);
            for (Delivery.State state : Delivery.State.values()) {
                counts.put(state, e.getValue().getOrDefault(state, 0L));
            }
            return new NotificationSummary(n.id, n.template, n.audience, n.idempotencyKey, n.requestedBy, n.createdAt, counts);
        }).toList(), page, size, found.total());
    }

    @GET
    @Path("/{id}/deliveries")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listDeliveries",
            summary = "One page of a notification's deliveries, optionally in one state (PENDING, SENT, DEAD)")
    public ai.loopgpt.dr.common.web.PageOf<DeliveryView> deliveries(@PathParam("id") UUID id,
            @jakarta.ws.rs.QueryParam("state") String state,
            @jakarta.ws.rs.QueryParam("page") @jakarta.ws.rs.DefaultValue("0") @jakarta.validation.constraints.Min(0) int page,
            @jakarta.ws.rs.QueryParam("size") @jakarta.ws.rs.DefaultValue("100") @jakarta.validation.constraints.Min(1)
            @jakarta.validation.constraints.Max(1000) int size) {
        Delivery.State wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = Delivery.State.valueOf(state.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ai.loopgpt.dr.common.problem.ProblemException.badRequest("Unknown state '" + state
                        + "'; states are " + java.util.Arrays.toString(Delivery.State.values()) + ".");
            }
        }
        var found = notifications.deliveries(id, wanted, page, size);
        return new ai.loopgpt.dr.common.web.PageOf<>(found.items().stream().map(NotificationResource::deliveryView).toList(),
                page, size, found.total());
    }

    private static DeliveryView deliveryView(Delivery d) {
        return new DeliveryView(d.id, d.channel, d.recipient, d.state, d.attempts, d.nextAttemptAt, d.sentAt, d.lastError);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getNotification",
            summary = "A notification and every delivery: state, attempts, last error")
    public NotificationView get(@PathParam("id") UUID id) {
        return view(notifications.get(id));
    }
}
