package ai.loopgpt.dr.notification.service;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.notification.Suppression;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import org.jboss.logging.Logger;

/** The suppression list: addresses that no channel mails. */
@ApplicationScoped
public class SuppressionService {

    private static final Logger LOG = Logger.getLogger(SuppressionService.class);

    private final Clock clock;

    public SuppressionService(Clock clock) {
        this.clock = clock;
    }

    /** Suppresses {@code address}; suppressing it again keeps the first record. */
    @Transactional
    public Suppression suppress(String address, Suppression.Reason reason, String note, String by) {
        String normalized = Suppression.normalize(address);
        Suppression existing = Suppression.findById(normalized);
        if (existing != null) {
            return existing;
        }
        Suppression suppression = new Suppression();
        suppression.address = normalized;
        suppression.reason = reason;
        suppression.note = note;
        suppression.createdBy = by;
        suppression.createdAt = clock.instant();
        suppression.persist();
        LOG.infof("Address suppressed (%s) by %s", reason, by);
        return suppression;
    }

    public PageOf<Suppression> list(int page, int size) {
        var query = Suppression.<Suppression>findAll(Sort.descending("createdAt"));
        return new PageOf<>(query.page(page, size).list(), page, size, query.count());
    }

    @Transactional
    public void lift(String address) {
        if (!Suppression.deleteById(Suppression.normalize(address))) {
            throw new ProblemException(ai.loopgpt.dr.common.problem.ProblemType.NOT_FOUND,
                    "That address is not on the suppression list.");
        }
        LOG.info("Suppression lifted");
    }
}
