package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.ComponentStatus;
import ai.loopgpt.dr.status.Impact;
import ai.loopgpt.dr.status.Incident;
import ai.loopgpt.dr.status.IncidentStatus;
import ai.loopgpt.dr.status.StatusChange;
import ai.loopgpt.dr.status.service.PublicIncidentService.PageChanged;
import ai.loopgpt.dr.status.service.ResponseTimes;
import ai.loopgpt.dr.status.service.ResponseTimes.Period;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The public page's data, rendered once into bytes per document and served from memory. Rebuilt on
 * every change and every few seconds; if the database is gone, the last good snapshot keeps being
 * served, with its age.
 */
@ApplicationScoped
public class PageSnapshot {

    private static final Logger LOG = Logger.getLogger(PageSnapshot.class);
    static final StatuspageV2Documents.Page PAGE_TEMPLATE = new StatuspageV2Documents.Page("loopgpt", "LoopGPT", "https://status.loopgpt.ai", "Etc/UTC", null);

    /** One rendered document and its entity tag. */
    public record Rendered(byte[] bytes, String etag, CharSequence etagHeader) {
        Rendered(byte[] bytes, String etag) {
            this(bytes, etag, io.vertx.core.http.HttpHeaders.createOptimized(etag));
        }
    }

    /** Everything the public side serves, as of {@code builtAt}. */
    public record Snapshot(Instant builtAt, Map<String, Rendered> documents, StatuspageV2Documents.Summary summary, PageModel model) {
    }

    private final ObjectMapper json;
    private final Clock clock;
    private final PageRenderer renderer;
    private final ResponseTimes responseTimes;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();

    public PageSnapshot(ObjectMapper json, Clock clock, PageRenderer renderer, ResponseTimes responseTimes) {
        this.json = json;
        this.responseTimes = responseTimes;
        this.clock = clock;
        this.renderer = renderer;
    }

    public PageRenderer renderer() {
        return renderer;
    }

    /** The snapshot as it is, without touching the database (null before the first build). */
    public Snapshot latest() {
        return current.get();
    }

    /** The snapshot to serve; 503 only if none could ever be built (the database was down from the start). */
    public Snapshot current() {
        Snapshot snapshot = current.get();
        if (snapshot == null) {
            rebuild();
            snapshot = current.get();
        }
        if (snapshot == null) {
            throw new ai.loopgpt.dr.common.problem.ProblemException(
                    ai.loopgpt.dr.common.problem.ProblemType.SERVICE_UNAVAILABLE,
                    "The status page has no data yet: its database has not answered since start-up.");
        }
        return snapshot;
    }

    void onStart(@Observes StartupEvent start) {
        rebuild();
    }

    void onChange(@Observes PageChanged change) {
        rebuild();
    }

    /** Rebuilds from the database; keeps the last snapshot if that fails. */
    @Scheduled(every = "${status.snapshot.every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void rebuild() {
        try {
            current.set(build());
        } catch (RuntimeException e) {
            Snapshot last = current.get();
            LOG.warnf("Could not refresh the status page from the database (%s); serving the snapshot of %s",
                    e.getMessage(), last == null ? "nothing yet" : last.builtAt());
        }
    }

    private Snapshot build() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Component> components = Component.list("listed = true and shown = true", Sort.ascending("position"));
            List<Incident> recent = Incident.list("kind = 'incident'", Sort.descending("startedAt", "id"));
            List<Incident> maintenances = Incident.list("kind = 'maintenance'", Sort.descending("scheduledFor", "id"));
            Map<String, Component> byId = new LinkedHashMap<>();
            components.forEach(c -> byId.put(c.id, c));

            List<StatuspageV2Documents.Component> v2Components = components(components);
            List<StatuspageV2Documents.Incident> unresolved = recent.stream().filter(i -> !i.status.closed()).map(i -> incident(i, byId)).toList();
            List<StatuspageV2Documents.Incident> last50 = recent.stream().limit(50).map(i -> incident(i, byId)).toList();
            List<StatuspageV2Documents.Incident> upcoming = maintenances.stream().filter(m -> m.status == IncidentStatus.SCHEDULED)
                    .sorted(Comparator.comparing(m -> m.scheduledFor)).map(m -> incident(m, byId)).toList();
            List<StatuspageV2Documents.Incident> active = maintenances.stream()
                    .filter(m -> m.status == IncidentStatus.IN_PROGRESS || m.status == IncidentStatus.VERIFYING)
                    .map(m -> incident(m, byId)).toList();
            List<StatuspageV2Documents.Incident> allMaintenances = maintenances.stream().limit(50).map(m -> incident(m, byId)).toList();

            Instant updated = Stream.concat(components.stream().map(c -> c.updatedAt),
                            Stream.concat(recent.stream(), maintenances.stream()).map(i -> i.updatedAt))
                    .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(clock.instant());
            StatuspageV2Documents.Page page = new StatuspageV2Documents.Page(PAGE_TEMPLATE.id(), PAGE_TEMPLATE.name(), PAGE_TEMPLATE.url(),
                    PAGE_TEMPLATE.timeZone(), updated);
            StatuspageV2Documents.Status status = status(components, recent);
            List<StatuspageV2Documents.Incident> activeAndUpcoming = new ArrayList<>(active);
            activeAndUpcoming.addAll(upcoming);
            StatuspageV2Documents.Summary summary = new StatuspageV2Documents.Summary(page, v2Components, unresolved, activeAndUpcoming, status);

            Map<String, Rendered> documents = new LinkedHashMap<>();
            documents.put("summary.json", render(summary));
            documents.put("status.json", render(new StatuspageV2Documents.StatusDoc(page, status)));
            documents.put("components.json", render(new StatuspageV2Documents.ComponentsDoc(page, v2Components)));
            documents.put("incidents.json", render(new StatuspageV2Documents.IncidentsDoc(page, last50)));
            documents.put("incidents/unresolved.json", render(new StatuspageV2Documents.IncidentsDoc(page, unresolved)));
            documents.put("scheduled-maintenances.json", render(new StatuspageV2Documents.MaintenancesDoc(page, allMaintenances)));
            documents.put("scheduled-maintenances/upcoming.json", render(new StatuspageV2Documents.MaintenancesDoc(page, upcoming)));
            documents.put("scheduled-maintenances/active.json", render(new StatuspageV2Documents.MaintenancesDoc(page, active)));

            Instant now = clock.instant();
            Instant since = now.minus(java.time.Duration.ofDays(PageRenderer.DAYS + 366));
            List<StatusChange> changes = StatusChange.list("changedAt >= ?1", since);
            Map<Period, Map<String, List<ResponseTimes.Bucket>>> times = new java.util.EnumMap<>(Period.class);
            for (Period period : Period.values()) {
                times.put(period, responseTimes.shown(period, now));
            }
            PageModel model = renderer.model(components, changes, recent, maintenances, status, updated, now, times);
            renderer.pages(model).forEach((path, html) -> documents.put(path, render(html)));
            Badges.all(status.indicator(), status.description(), components)
                    .forEach((path, svg) -> documents.put(path, render(svg)));
            return new Snapshot(now, Map.copyOf(documents), summary, model);
        });
    }

    /** Components in page order, each group as a Statuspage group component before its members. */
    static List<StatuspageV2Documents.Component> components(List<Component> components) {
        Map<String, List<Component>> groups = new LinkedHashMap<>();
        components.forEach(c -> groups.computeIfAbsent(c.group, g -> new ArrayList<>()).add(c));
        List<StatuspageV2Documents.Component> out = new ArrayList<>();
        int position = 1;
        for (Map.Entry<String, List<Component>> group : groups.entrySet()) {
            String groupId = "group-" + group.getKey().toLowerCase().replaceAll("[^a-z0-9]+", "-");
            List<Component> members = group.getValue();
            ComponentStatus worst = members.stream().map(c -> c.status).max(Comparator.comparingInt(PageSnapshot::severity))
                    .orElse(ComponentStatus.OPERATIONAL);
            Instant created = members.stream().map(c -> c.createdAt).min(Comparator.naturalOrder()).orElse(null);
            Instant updated = members.stream().map(c -> c.updatedAt).max(Comparator.naturalOrder()).orElse(null);
            out.add(new StatuspageV2Documents.Component(groupId, group.getKey(), worst.code(), created, updated, position++, null, false,
                    null, null, PAGE_TEMPLATE.id(), true, false, members.stream().map(c -> c.id).toList()));
            for (Component c : members) {
                out.add(v2(c, groupId, position++));
            }
        }
        return out;
    }

    static StatuspageV2Documents.Component v2(Component c, String groupId, int position) {
        return new StatuspageV2Documents.Component(c.id, c.name, c.status.code(), c.createdAt, c.updatedAt, position, null, false, null,
                groupId, PAGE_TEMPLATE.id(), false, false, null);
    }

    static int severity(ComponentStatus status) {
        return switch (status) {
            case OPERATIONAL -> 0;
            case UNDER_MAINTENANCE -> 1;
            case DEGRADED_PERFORMANCE -> 2;
            case PARTIAL_OUTAGE -> 3;
            case MAJOR_OUTAGE -> 4;
        };
    }

    private static StatuspageV2Documents.Incident incident(Incident i, Map<String, Component> components) {
        List<StatuspageV2Documents.IncidentUpdate> updates = i.updates.stream().map(u -> new StatuspageV2Documents.IncidentUpdate(u.id, u.status.code(),
                u.body, i.id, u.createdAt, u.createdAt, u.displayAt,
                u.changes.stream().map(ch -> new StatuspageV2Documents.AffectedComponent(ch.componentId,
                        components.containsKey(ch.componentId) ? components.get(ch.componentId).name : ch.componentId,
                        ch.oldStatus.code(), ch.newStatus.code())).toList(),
                true, null, null)).toList();
        List<StatuspageV2Documents.Component> affected = i.components.stream().filter(components::containsKey)
                .map(id -> v2(components.get(id), null, components.get(id).position + 1)).toList();
        return new StatuspageV2Documents.Incident(i.id, i.name, i.status.code(), i.createdAt, i.updatedAt, i.monitoringAt, i.resolvedAt,
                i.impact.code(), PAGE_TEMPLATE.url() + "/incidents/" + i.id, i.startedAt, PAGE_TEMPLATE.id(), updates,
                affected, i.scheduledFor, i.scheduledUntil);
    }

    /** The overall indicator: the worst of the components' statuses and the open incidents' impacts. */
    static StatuspageV2Documents.Status status(List<Component> components, List<Incident> incidents) {
        int level = 0;
        boolean maintenance = false;
        for (Component c : components) {
            level = Math.max(level, switch (c.status) {
                case OPERATIONAL, UNDER_MAINTENANCE -> 0;
                case DEGRADED_PERFORMANCE -> 1;
                case PARTIAL_OUTAGE -> 2;
                case MAJOR_OUTAGE -> 3;
            });
            maintenance |= c.status == ComponentStatus.UNDER_MAINTENANCE;
        }
        for (Incident i : incidents) {
            if (!i.status.closed() && i.impact != Impact.MAINTENANCE) {
                level = Math.max(level, i.impact.ordinal());
            }
        }
        return switch (level) {
            case 0 -> new StatuspageV2Documents.Status("none", maintenance ? "Service Under Maintenance" : "All Systems Operational");
            case 1 -> new StatuspageV2Documents.Status("minor", "Minor Service Outage");
            case 2 -> new StatuspageV2Documents.Status("major", "Partial System Outage");
            default -> new StatuspageV2Documents.Status("critical", "Major Service Outage");
        };
    }

    static Rendered render(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Rendered(bytes, etag(bytes));
    }

    static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Rendered render(Object document) {
        try {
            byte[] bytes = json.writeValueAsBytes(document);
            return new Rendered(bytes, etag(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
