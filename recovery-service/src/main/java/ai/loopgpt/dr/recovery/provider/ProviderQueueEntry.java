package ai.loopgpt.dr.recovery.provider;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Work the product queued for a provider while it was down, until it is processed. */
@Entity
@Table(name = "provider_queue")
public class ProviderQueueEntry extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String provider;

    /** How many orders (or other units of work) were queued. */
    @Column(nullable = false)
    public int items;

    public String note;

    @Column(name = "queued_at", nullable = false)
    public Instant queuedAt;

    @Column(name = "queued_by", nullable = false)
    public String queuedBy;

    @Column(name = "processed_at")
    public Instant processedAt;

    @Column(name = "processed_by")
    public String processedBy;
}
