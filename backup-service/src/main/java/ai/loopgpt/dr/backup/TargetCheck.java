package ai.loopgpt.dr.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The outcome of checking that a target can be backed up: reachable, its version, dumpable by our pg_dump. */
@Entity
@Table(name = "target_check")
public class TargetCheck extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String target;

    @Column(name = "checked_at", nullable = false)
    public Instant checkedAt;

    @Column(nullable = false)
    public boolean reachable;

    @Column(name = "server_version")
    public String serverVersion;

    @Column(name = "pg_dump_version")
    public String pgDumpVersion;

    /** True when the target answered and our pg_dump is at least as new as its server. */
    @Column(nullable = false)
    public boolean dumpable;

    @Column(name = "database_bytes")
    public Long databaseBytes;

    /** What stands in the way of a backup, written for a human; null when dumpable. */
    public String problem;

    /** The most recent check of {@code target}, if any. */
    public static java.util.Optional<TargetCheck> latest(String target) {
        return find("target", io.quarkus.panache.common.Sort.descending("checkedAt", "id"), target).firstResultOptional();
    }
}
