package ai.loopgpt.dr.backup.rest;

import ai.loopgpt.dr.backup.alert.AlertEpisode;
import ai.loopgpt.dr.backup.alert.OutboxMessage;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Backup alerts: the episodes (open and closed) and the messages still to deliver. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts",
        description = "Alert episodes (no recent good backup, failing backups) and alert messages not delivered yet")
public class AlertResource {

    /** An episode as the API shows it. */
    public record EpisodeView(UUID id, String target, String problem, Instant openedAt, String reason, Instant closedAt,
            String resolution) {
        static EpisodeView of(AlertEpisode e) {
            return new EpisodeView(e.id, e.target, e.problem, e.openedAt, e.reason, e.closedAt, e.resolution);
        }
    }

    /** An outbox message not delivered (yet). */
    public record MessageView(UUID id, String destination, Instant createdAt, int attempts, Instant nextAttemptAt,
            String lastError, Instant deadAt) {
        static MessageView of(OutboxMessage m) {
            return new MessageView(m.id, m.destination, m.createdAt, m.attempts, m.nextAttemptAt, m.lastError, m.deadAt);
        }
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listAlertEpisodes",
            summary = "Alert episodes, newest first; open=true for those still open")
    public PageOf<EpisodeView> list(@QueryParam("open") Boolean open,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        var found = open == null ? AlertEpisode.<AlertEpisode>findAll(Sort.descending("openedAt"))
                : AlertEpisode.<AlertEpisode>find(open ? "closedAt is null" : "closedAt is not null",
                        Sort.descending("openedAt"));
        return new PageOf<>(found.page(page, size).list().stream().map(EpisodeView::of).toList(), page, size,
                found.count());
    }

    @GET
    @Path("/outbox")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listAlertMessages",
            summary = "Alert messages not delivered yet (waiting for a peer) or dead-lettered (refused), oldest first")
    public PageOf<MessageView> outbox(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        var found = OutboxMessage.<OutboxMessage>find("sentAt is null", Sort.ascending("createdAt"));
        return new PageOf<>(found.page(page, size).list().stream().map(MessageView::of).toList(), page, size,
                found.count());
    }
}
