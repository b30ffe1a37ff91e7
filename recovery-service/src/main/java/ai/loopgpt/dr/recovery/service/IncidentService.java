package ai.loopgpt.dr.recovery.service;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.Incident;
import ai.loopgpt.dr.recovery.Scenario;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Declares, lists and resolves incidents. */
@ApplicationScoped
public class IncidentService {

    private static final Logger LOG = Logger.getLogger(IncidentService.class);

    private final Clock clock;

    public IncidentService(Clock clock) {
        this.clock = clock;
    }

    @Transactional
    public Incident declare(String title, Scenario scenario, Incident.Severity severity, String summary, String by) {
        Incident incident = new Incident();
        incident.id = UUID.randomUUID();
        incident.title = title;
        incident.scenario = scenario;
        incident.severity = severity;
        incident.summary = summary;
        incident.status = Incident.Status.OPEN;
        incident.declaredBy = by;
        incident.declaredAt = clock.instant();
        incident.persist();
        LOG.infof("Incident %s declared by %s: %s (%s, %s)", incident.id, by, title, scenario.code(), severity);
        return incident;
    }

    public Incident get(UUID id) {
        return Incident.<Incident>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("incident", id));
    }

    public PageOf<Incident> list(Incident.Status status, int page, int size) {
        Sort newestFirst = Sort.descending("declaredAt", "id");
        var query = status == null ? Incident.<Incident>findAll(newestFirst)
                : Incident.<Incident>find("status", newestFirst, status);
        return new PageOf<>(query.page(page, size).list(), page, size, query.count());
    }

    @Transactional
    public Incident resolve(UUID id) {
        Incident incident = get(id);
        if (incident.status == Incident.Status.RESOLVED) {
            throw ProblemException.conflict("Incident " + id + " was already resolved at " + incident.resolvedAt + ".");
        }
        incident.status = Incident.Status.RESOLVED;
        incident.resolvedAt = clock.instant();
        LOG.infof("Incident %s resolved", id);
        return incident;
    }
}
