package ai.loopgpt.dr.recovery.provider.rest;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.provider.ProviderQueueEntry;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The order providers: their priority, whether an open provider-outage incident has them down, and
 * the work the product queued for them while they were (the plan: queue orders for later).
 */
@Path("/api/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Providers",
        description = "The external providers (payments, delivery, AI): outages and the work queued for them")
public class ProviderResource {

    private final RecoverySettings settings;
    private final SecurityIdentity identity;
    private final Clock clock;

    public ProviderResource(RecoverySettings settings, SecurityIdentity identity, Clock clock) {
        this.settings = settings;
        this.identity = identity;
        this.clock = clock;
    }

    /** A provider as the API shows it. */
    public record ProviderView(String name, int priority, String component, boolean down, UUID incidentId,
            long queuedItems) {
    }

    /** Work queued for a provider. */
    public record Queued(@NotNull @Min(1) @Max(1_000_000) Integer items, @Size(max = 1000) String note) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listProviders",
            summary = "The providers by priority: down or not (an open provider-outage incident), work queued")
    public List<ProviderView> list() {
        return QuarkusTransaction.requiringNew().call(() -> settings.providers().entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, RecoverySettings.Provider> e) -> e.getValue().priority())
                        .thenComparing(Map.Entry::getKey))
                .map(e -> {
                    Incident open = Incident.<Incident>find("status = ?1 and provider = ?2", Incident.Status.OPEN,
                            e.getKey()).firstResult();
                    return new ProviderView(e.getKey(), e.getValue().priority(), e.getValue().component(), open != null,
                            open == null ? null : open.id, pending(e.getKey()));
                }).toList());
    }

    @POST
    @Path("/{name}/queue")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "queueProviderWork",
            summary = "Records work the product queued for a provider that is down (orders for later)")
    public Response queue(@PathParam("name") String name, @Valid @NotNull Queued body) {
        provider(name);
        ProviderQueueEntry entry = QuarkusTransaction.requiringNew().call(() -> {
            ProviderQueueEntry q = new ProviderQueueEntry();
            q.id = UUID.randomUUID();
            q.provider = name;
            q.items = body.items();
            q.note = body.note();
            q.queuedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            q.queuedBy = Callers.subject(identity);
            q.persist();
            return q;
        });
        return Response.status(201).entity(Map.of("id", entry.id, "provider", name, "items", entry.items,
                "queuedItems", QuarkusTransaction.requiringNew().call(() -> pending(name)))).build();
    }

    @DELETE
    @Path("/{name}/queue")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "clearProviderQueue",
            summary = "Marks the work queued for a provider processed (the runbook's process-queued-orders)")
    public Map<String, Object> processed(@PathParam("name") String name) {
        provider(name);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String by = Callers.subject(identity);
        long items = QuarkusTransaction.requiringNew().call(() -> {
            List<ProviderQueueEntry> pending = ProviderQueueEntry.list("provider = ?1 and processedAt is null", name);
            pending.forEach(q -> {
                q.processedAt = now;
                q.processedBy = by;
            });
            return pending.stream().mapToLong(q -> q.items).sum();
        });
        return Map.of("provider", name, "processedItems", items, "queuedItems", 0);
    }

    private void provider(String name) {
        if (!settings.providers().containsKey(name)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No provider '" + ProblemException.shorten(name)
                    + "'; the providers (recovery.providers): " + new java.util.TreeSet<>(settings.providers().keySet()) + ".");
        }
    }

    private static long pending(String name) {
        return ProviderQueueEntry.<ProviderQueueEntry>list("provider = ?1 and processedAt is null", name).stream()
                .mapToLong(q -> q.items).sum();
    }
}
