package ai.loopgpt.dr.status.rest;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.status.outbox.NotificationOutbox;
import ai.loopgpt.dr.status.outbox.OutboxMessage;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The messages for notification-service: what is waiting, what was refused for good, and retrying those. */
@Path("/api/v1/outbox")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Outbox",
        description = "Messages from the status page to notification-service that wait, were delivered or died")
public class OutboxResource {

    private final NotificationOutbox outbox;

    public OutboxResource(NotificationOutbox outbox) {
        this.outbox = outbox;
    }

    /** A message as the API shows it (its payload stays inside: it may name subscribers). */
    public record MessageView(long id, String kind, String state, int attempts, Instant createdAt, Instant nextAttemptAt,
            Instant deliveredAt, Instant deadAt, String lastError) {
        static MessageView of(OutboxMessage m) {
            String state = m.sentAt != null ? "delivered" : m.deadAt != null ? "dead" : "pending";
            return new MessageView(m.id, m.kind, state, m.attempts, m.createdAt, m.nextAttemptAt, m.sentAt, m.deadAt,
                    m.lastError);
        }
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listOutboxMessages",
            summary = "Lists outbox messages by state (pending, dead, delivered), newest first")
    public PageOf<MessageView> list(
            @QueryParam("state") @DefaultValue("pending") @Pattern(regexp = "pending|dead|delivered",
                    message = "must be pending, dead or delivered") String state,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        String where = switch (state) {
            case "dead" -> "deadAt is not null and sentAt is null";
            case "delivered" -> "sentAt is not null";
            default -> "deadAt is null and sentAt is null";
        };
        var found = OutboxMessage.<OutboxMessage>find(where, Sort.descending("id"));
        return new PageOf<>(found.page(page, size).list().stream().map(MessageView::of).toList(), page, size,
                found.count());
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "retryOutboxMessage", summary = "Sends a dead message again at the next round")
    public MessageView retry(@PathParam("id") long id) {
        if (!outbox.retry(id)) {
            throw ProblemException.conflict("There is no dead outbox message " + id + "; only dead messages are retried.");
        }
        return MessageView.of(OutboxMessage.findById(id));
    }
}
