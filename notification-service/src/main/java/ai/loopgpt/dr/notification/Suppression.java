package ai.loopgpt.dr.notification;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;

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
}
