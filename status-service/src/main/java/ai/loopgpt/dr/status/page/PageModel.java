package ai.loopgpt.dr.status.page;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** What the public HTML pages show, ready to render. */
@TemplateData
public record PageModel(
        String indicator,
        String description,
        List<Group> groups,
        List<IncidentModel> active,
        List<IncidentModel> maintenances,
        List<IncidentModel> history,
        String availability,
        String target,
        long budgetMinutes,
        long budgetLeftMinutes,
        String updatedAt,
        String updatedIso,
        String stale) {

    @TemplateData
    public record Group(String name, String status, String label, List<ComponentModel> components) {
    }

    @TemplateData
    public record ComponentModel(String id, String name, String status, String label, String uptime, List<DayModel> days,
            List<ChartModel> charts) {
    }

    /**
     * A response-time chart of a probed component: its period ({@code 24h}, {@code 90d}) and what it
     * covers in words, the SVG (text in it escaped by {@link Svg}), its caption, the top of its scale
     * and its ends.
     */
    @TemplateData
    public record ChartModel(String period, String words, io.quarkus.qute.RawString svg, String caption, long scaleMillis,
            String from, String to) {
    }

    @TemplateData
    public record DayModel(String css, String title, int span) {
    }

    @TemplateData
    public record IncidentModel(String id, String name, String impact, String status, String label, String startedAt,
            String window, List<UpdateModel> updates, String latest, String updatedAtIso, String startedAtIso,
            String affected) {
    }

    @TemplateData
    public record UpdateModel(String label, String body, String at, String atIso) {
    }

    /** How far past the budget the period is (positive), when the budget is exceeded. */
    public long budgetOverMinutes() {
        return Math.max(0, -budgetLeftMinutes);
    }

    public PageModel withStale(String notice) {
        return new PageModel(indicator, description, groups, active, maintenances, history, availability, target,
                budgetMinutes, budgetLeftMinutes, updatedAt, updatedIso, notice);
    }
}
