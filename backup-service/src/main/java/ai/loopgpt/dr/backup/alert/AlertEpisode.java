package ai.loopgpt.dr.backup.alert;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One problem of one target, from the moment it was seen to the moment it was over. */
@Entity
@Table(name = "alert_episode")
public class AlertEpisode extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String target;

    /** rpo-breach, backup-failed, verification-failed or drill-failed. */
    @Column(nullable = false)
    public String problem;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    /** What was seen, for the alert. */
    @Column(nullable = false)
    public String reason;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** What ended it, for the recovery message. */
    public String resolution;
}
