package ai.loopgpt.dr.notification;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An email address no notification is sent to, and why. */
@Entity
@Table(name = "suppression")
public class Suppression extends PanacheEntityBase {

    public enum Reason { HARD_BOUNCE, COMPLAINT, REQUESTED, MANUAL }

    /** Lower-cased, so that one address cannot slip through with other capitals. */
    @Id
    public String address;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Reason reason;

    public String note;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static String normalize(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether mail to {@code address} must not be sent. */
    public static boolean covers(String address) {
        return findByIdOptional(normalize(address)).isPresent();
    }

    /** Which of {@code addresses} must not be mailed, normalized: one query for a whole audience. */
    public static Set<String> among(Collection<String> addresses) {
        List<String> wanted = addresses.stream().map(Suppression::normalize).distinct().toList();
        Set<String> suppressed = new HashSet<>();
        for (int from = 0; from < wanted.size(); from += 1000) {
            suppressed.addAll(getEntityManager().createQuery("select s.address from Suppression s where s.address in :wanted",
                    String.class).setParameter("wanted", wanted.subList(from, Math.min(wanted.size(), from + 1000))).getResultList());
        }
        return suppressed;
    }
}
