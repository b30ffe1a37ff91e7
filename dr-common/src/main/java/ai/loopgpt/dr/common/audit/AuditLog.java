package ai.loopgpt.dr.common.audit;

import ai.loopgpt.dr.common.audit.AuditEntry.Outcome;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.text.Printable;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes and reads the append-only audit log. */
@ApplicationScoped
public class AuditLog {

    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    /** Records one call in its own transaction, whatever became of the caller's. */
    public void record(String actor, String role, String action, String target, int status, String requestId) {
        AuditRecord record = new AuditRecord();
        record.occurredAt = clock.instant();
        // Whatever a caller sent is stored escaped and bounded: a NUL in a path must not lose the record.
        record.actor = storable(actor);
        record.role = storable(role);
        record.action = storable(action);
        record.target = storable(ai.loopgpt.dr.common.text.Addresses.masked(target));
        record.status = status;
        record.outcome = Outcome.of(status).name();
        record.requestId = requestId;
        QuarkusTransaction.requiringNew().run(record::persist);
    }

    /** A stored value: one line, bounded so that no caller can grow the log by sending a long path. */
    private static final Printable STORED = Printable.ONE_LINE.atMost(1000);

    /** {@code value} as stored: control characters escaped, at most 1,000 characters and "…" when cut. */
    static String storable(String value) {
        return STORED.escape(value);
    }

    /** Filters of {@link #find}; {@code null} means "any". */
    public record Query(String actor, String action, String target, Outcome outcome, Instant since, Instant until) {
    }

    public PageOf<AuditEntry> find(Query query, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (query.actor() != null) {
            where.add("actor = :actor");
            params.and("actor", query.actor());
        }
        if (query.action() != null) {
            where.add("action like :action");
            params.and("action", query.action() + "%");
        }
        if (query.target() != null) {
            where.add("target like :target");
            params.and("target", query.target() + "%");
        }
        if (query.outcome() != null) {
            where.add("outcome = :outcome");
            params.and("outcome", query.outcome().name());
        }
        if (query.since() != null) {
            where.add("occurredAt >= :since");
            params.and("since", query.since());
        }
        if (query.until() != null) {
            where.add("occurredAt < :until");
            params.and("until", query.until());
        }
        Sort sort = Sort.descending("occurredAt").and("id", Sort.Direction.Descending);
        PanacheQuery<AuditRecord> found = where.isEmpty()
                ? AuditRecord.findAll(sort)
                : AuditRecord.find(String.join(" and ", where), sort, params);
        List<AuditEntry> items = found.page(page, size).list().stream().map(AuditEntry::of).toList();
        return new PageOf<>(items, page, size, found.count());
    }
}
