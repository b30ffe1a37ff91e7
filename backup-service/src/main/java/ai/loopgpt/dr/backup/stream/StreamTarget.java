package ai.loopgpt.dr.backup.stream;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A streamed target whose stream was stopped to protect its server: its backups are plain dumps
 * (no slot) until an operator turns streaming on again, which deletes this row.
 */
@Entity
@Table(name = "stream_target")
public class StreamTarget extends PanacheEntityBase {

    @Id
    public String target;

    @Column(name = "disabled_at", nullable = false)
    public Instant disabledAt;

    @Column(name = "disabled_reason", nullable = false)
    public String disabledReason;
}
