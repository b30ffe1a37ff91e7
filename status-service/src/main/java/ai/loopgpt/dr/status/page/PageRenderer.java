package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.ComponentStatus;
import ai.loopgpt.dr.status.Incident;
import ai.loopgpt.dr.status.IncidentStatus;
import ai.loopgpt.dr.status.StatusChange;
import ai.loopgpt.dr.status.service.ResponseTimes.Bucket;
import ai.loopgpt.dr.status.service.ResponseTimes.Period;
import io.quarkus.qute.Location;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the public pages' model from the page's data and renders the HTML and Atom documents. */
@ApplicationScoped
public class PageRenderer {

    static final double TARGET = 0.999;
    static final int DAYS = 90;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private final Template index;
    private final Template incident;
    private final Template history;
    private final Template feed;

    public PageRenderer(@Location("page/index.html") Template index, @Location("page/incident.html") Template incident,
            @Location("page/history.html") Template history, @Location("page/feed.xml") Template feed) {
        this.index = index;
        this.incident = incident;
        this.history = history;
        this.feed = feed;
    }

    static String label(ComponentStatus s) {
        return switch (s) {
            case OPERATIONAL -> "Operational";
            case DEGRADED_PERFORMANCE -> "Degraded performance";
            case PARTIAL_OUTAGE -> "Partial outage";
            case MAJOR_OUTAGE -> "Major outage";
            case UNDER_MAINTENANCE -> "Under maintenance";
        };
    }

    static String label(IncidentStatus s) {
        String code = s.code().replace('_', ' ');
        return Character.toUpperCase(code.charAt(0)) + code.substring(1);
    }

    /** The model of every page, from the components, their status history and the incidents. */
    PageModel model(List<Component> components, List<StatusChange> changes, List<Incident> incidents,
            List<Incident> maintenances, StatuspageV2Documents.Status status, Instant updated, Instant now,
            Map<Period, Map<String, List<Bucket>>> responseTimes) {
        Map<String, List<Uptime.Change>> history = new LinkedHashMap<>();
        changes.stream().sorted(Comparator.comparing(c -> c.changedAt)).forEach(c -> history
                .computeIfAbsent(c.componentId, k -> new ArrayList<>()).add(new Uptime.Change(c.changedAt, c.newStatus)));
        Instant yearStart = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfYear(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        Map<String, List<PageModel.ComponentModel>> groups = new LinkedHashMap<>();
        Map<String, ComponentStatus> worst = new LinkedHashMap<>();
        double spanSecondsThisYear = 0;
        double downSecondsThisYear = 0;
        for (Component c : components) {
            List<Uptime.Change> own = history.getOrDefault(c.id, List.of());
            List<Uptime.Day> days = Uptime.days(c.createdAt, own, now, DAYS);
            double up = days.stream().filter(d -> d.uptime() != null).mapToDouble(Uptime.Day::uptime).average().orElse(1);
            List<PageModel.DayModel> bars = bars(days);
            groups.computeIfAbsent(c.group, g -> new ArrayList<>()).add(new PageModel.ComponentModel(c.id, c.name,
                    c.status.code(), label(c.status), percent(up), bars, charts(c, responseTimes)));
            worst.merge(c.group, c.status, (a, b) -> PageSnapshot.severity(a) >= PageSnapshot.severity(b) ? a : b);
            // Before a component existed there is no data, not downtime: each counts from its creation.
            Instant counted = yearStart.isAfter(c.createdAt) ? yearStart : c.createdAt;
            spanSecondsThisYear += Math.max(0, java.time.Duration.between(counted, now).toMillis() / 1000.0);
            downSecondsThisYear += Uptime.downSeconds(c.createdAt, own, counted, now);
        }
        List<PageModel.Group> groupModels = groups.entrySet().stream().map(e -> new PageModel.Group(e.getKey(),
                worst.get(e.getKey()).code(), label(worst.get(e.getKey())), e.getValue())).toList();
        Uptime.Budget budget = Uptime.Budget.of(spanSecondsThisYear, downSecondsThisYear, components.size(), TARGET);

        Map<String, String> names = new LinkedHashMap<>();
        components.forEach(c -> names.put(c.id, c.name));
        List<PageModel.IncidentModel> active = incidents.stream().filter(i -> !i.status.closed())
                .map(i -> incident(i, names)).toList();
        List<PageModel.IncidentModel> maint = maintenances.stream().filter(m -> !m.status.closed())
                .sorted(Comparator.comparing(m -> m.scheduledFor)).map(m -> incident(m, names)).toList();
        List<PageModel.IncidentModel> all = new ArrayList<>();
        incidents.stream().limit(50).map(i -> incident(i, names)).forEach(all::add);
        maintenances.stream().filter(m -> m.status.closed()).limit(20).map(m -> incident(m, names)).forEach(all::add);
        all.sort(Comparator.comparing(PageModel.IncidentModel::startedAtIso).reversed());
        return new PageModel(status.indicator(), status.description(), groupModels, active, maint, all,
                percentPrecise(budget.availability()), percentPrecise(TARGET), budget.budgetMinutes(), budget.leftMinutes(),
                WHEN.format(updated),
                updated.toString(), null);
    }

    /** The response-time charts of a probed component, shortest period first; none without a probe. */
    static List<PageModel.ChartModel> charts(Component c, Map<Period, Map<String, List<Bucket>>> responseTimes) {
        List<PageModel.ChartModel> charts = new ArrayList<>();
        for (Period period : Period.values()) {
            List<Bucket> buckets = responseTimes.getOrDefault(period, Map.of()).get(c.id);
            if (buckets == null) {
                continue;
            }
            ResponseTimeChart.Chart chart = ResponseTimeChart.of("rt-" + c.id + "-" + period.code(), c.name, period, buckets);
            charts.add(new PageModel.ChartModel(period.code(), period.words(), new RawString(chart.svg()), chart.caption(),
                    chart.scaleMillis(), period == Period.LAST_24_HOURS ? "24 hours ago" : "90 days ago",
                    period == Period.LAST_24_HOURS ? "Now" : "Today"));
        }
        return charts;
    }

    /** One bar per day, runs of identical days merged into one wider bar (a lighter page). */
    static List<PageModel.DayModel> bars(List<Uptime.Day> days) {
        List<PageModel.DayModel> bars = new ArrayList<>();
        int i = 0;
        while (i < days.size()) {
            Uptime.Day first = days.get(i);
            String css = css(first);
            int j = i + 1;
            boolean mergeable = "up".equals(css) || "none".equals(css);
            while (mergeable && j < days.size() && css(days.get(j)).equals(css)) {
                j++;
            }
            Uptime.Day last = days.get(j - 1);
            String when = j - i == 1 ? DAY.format(first.date()) : DAY.format(first.date()) + " to " + DAY.format(last.date());
            String what = first.uptime() == null ? "no data" : "none".equals(css) ? "no data"
                    : "up".equals(css) ? "no downtime"
                    : percent(first.uptime()) + ", " + (first.downSeconds() / 60) + " min down";
            bars.add(new PageModel.DayModel(css, when + ": " + what, j - i));
            i = j;
        }
        return bars;
    }

    private static String css(Uptime.Day day) {
        if (day.uptime() == null) {
            return "none";
        }
        if (day.uptime() >= 0.99999) {
            return "up";
        }
        return day.uptime() >= 0.99 ? "minor" : day.uptime() >= 0.9 ? "major" : "critical";
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }

    static String percentPrecise(double fraction) {
        return String.format(Locale.ROOT, "%.3f %%", fraction * 100);
    }

    /**
     * The components an incident affected, in page order, as a sentence part ("Orders and Database");
     * null when it names none that the page shows.
     */
    static String affected(java.util.Collection<String> ids, Map<String, String> shownNames) {
        List<String> named = shownNames.entrySet().stream().filter(e -> ids.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        if (named.isEmpty()) {
            return null;
        }
        if (named.size() == 1) {
            return named.get(0);
        }
        return String.join(", ", named.subList(0, named.size() - 1)) + " and " + named.get(named.size() - 1);
    }

    private PageModel.IncidentModel incident(Incident i, Map<String, String> shownNames) {
        List<PageModel.UpdateModel> updates = i.updates.stream().map(u -> new PageModel.UpdateModel(label(u.status),
                u.body, WHEN.format(u.displayAt), u.displayAt.toString())).toList();
        String window = i.scheduledFor == null ? null : WHEN.format(i.scheduledFor) + " to " + WHEN.format(i.scheduledUntil);
        return new PageModel.IncidentModel(i.id, i.name, i.impact.code(), i.status.code(), label(i.status),
                WHEN.format(i.startedAt), window, updates, updates.isEmpty() ? null : updates.get(0).body(),
                i.updatedAt.toString(), i.startedAt.toString(), affected(i.components, shownNames));
    }

    String index(PageModel model) {
        return index.data("m", model).render();
    }

    /** Every page: the home page, the history, the feed, and one page per incident. */
    Map<String, String> pages(PageModel model) {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/", index(model));
        pages.put("/history", history.data("m", model).render());
        pages.put("/history.atom", feed.data("m", model).render().strip());
        List<PageModel.IncidentModel> everything = new ArrayList<>(model.history());
        everything.addAll(model.active());
        everything.addAll(model.maintenances());
        for (PageModel.IncidentModel i : everything) {
            pages.putIfAbsent("/incidents/" + i.id(), incident.data("i", i).render());
        }
        return pages;
    }
}
