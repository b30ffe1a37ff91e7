package ai.loopgpt.dr.status.page;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * The public JSON documents, with Atlassian Statuspage v2's paths, field names and enums, so that
 * existing consumers work unchanged.
 */
public final class StatuspageV2Documents {

    private StatuspageV2Documents() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Page(String id, String name, String url, String timeZone, Instant updatedAt) {
    }

    /** Overall status: indicator none, minor, major or critical, and its description. */
    public record Status(String indicator, String description) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Component(String id, String name, String status, Instant createdAt, Instant updatedAt, int position,
            String description, boolean showcase, String startDate, String groupId, String pageId, boolean group,
            boolean onlyShowIfDegraded, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> components) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AffectedComponent(String code, String name, String oldStatus, String newStatus) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record IncidentUpdate(String id, String status, String body, String incidentId, Instant createdAt,
            Instant updatedAt, Instant displayAt, List<AffectedComponent> affectedComponents,
            boolean deliverNotifications, String customTweet, String tweetId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Incident(String id, String name, String status, Instant createdAt, Instant updatedAt,
            Instant monitoringAt, Instant resolvedAt, String impact, String shortlink, Instant startedAt, String pageId,
            List<IncidentUpdate> incidentUpdates, List<Component> components,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant scheduledFor,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant scheduledUntil) {
    }

    public record StatusDoc(Page page, Status status) {
    }

    public record ComponentsDoc(Page page, List<Component> components) {
    }

    public record IncidentsDoc(Page page, List<Incident> incidents) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MaintenancesDoc(Page page, List<Incident> scheduledMaintenances) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Summary(Page page, List<Component> components, List<Incident> incidents,
            List<Incident> scheduledMaintenances, Status status) {
    }
}
