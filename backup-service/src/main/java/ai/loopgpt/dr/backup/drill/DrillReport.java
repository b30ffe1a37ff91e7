package ai.loopgpt.dr.backup.drill;

import static ai.loopgpt.dr.text.Markdown.cell;

import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.text.Markdown;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The drill history as Markdown: what the plan means by "documents results: all tests". */
@ApplicationScoped
public class DrillReport {

    private final BackupSettings settings;
    private final Clock clock;

    public DrillReport(BackupSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public String render(Instant since) {
        Instant from = since != null ? since : clock.instant().minus(Duration.ofDays(90));
        List<Drill> drills = QuarkusTransaction.requiringNew().call(() -> Drill.<Drill>list("createdAt >= ?1",
                Sort.ascending("createdAt"), from));
        Map<String, List<Drill>> byTarget = new TreeMap<>(drills.stream().collect(Collectors.groupingBy(d -> d.target)));
        StringBuilder md = new StringBuilder();
        md.append("# Backup drills\n\n")
                .append("Drills since ").append(from.truncatedTo(ChronoUnit.SECONDS)).append(", generated ")
                .append(clock.instant().truncatedTo(ChronoUnit.SECONDS)).append(". Objectives: RTO ")
                .append(hours(settings.drills().rto())).append(", RPO ").append(hours(settings.rpo())).append(".\n");
        if (byTarget.isEmpty()) {
            md.append("\nNo drills in this period.\n");
        }
        byTarget.forEach((target, list) -> {
            md.append("\n## ").append(cell(target)).append("\n\n### Restore drills (RTO samples)\n\n");
            List<Drill> restores = list.stream().filter(d -> d.type == Drill.Type.restore).toList();
            if (restores.isEmpty()) {
                md.append("None.\n");
            } else {
                Markdown.Table table = Markdown.table("Started", "Backup", "Outcome", "Restore time", "Within RTO",
                        "Tables verified", "Scratch dropped", "Reason");
                for (Drill d : restores) {
                    Map<String, Object> e = d.evidence == null ? Map.of() : d.evidence;
                    table.row(when(d), d.backupId, d.phase, d.rtoSeconds == null ? "–" : d.rtoSeconds + " s",
                            e.get("withinRto") == null ? "–" : Boolean.TRUE.equals(e.get("withinRto")) ? "yes" : "no",
                            value(e.get("tablesVerified")), e.get("scratchDroppedAt") == null ? "–" : "yes",
                            cell(d.failureReason));
                }
                md.append(table);
                List<Long> samples = restores.stream().filter(d -> d.rtoSeconds != null).map(d -> d.rtoSeconds).toList();
                if (!samples.isEmpty()) {
                    md.append("\nRTO samples: ").append(samples.size()).append(", longest ")
                            .append(samples.stream().mapToLong(Long::longValue).max().getAsLong()).append(" s against ")
                            .append(settings.drills().rto().toSeconds()).append(" s.\n");
                }
            }
            md.append("\n### Integrity verifications\n\n");
            List<Drill> checks = list.stream().filter(d -> d.type == Drill.Type.integrity).toList();
            if (checks.isEmpty()) {
                md.append("None.\n");
            } else {
                Markdown.Table table = Markdown.table("Started", "Backup", "Outcome", "Size (bytes)", "SHA-256", "Reason");
                for (Drill d : checks) {
                    Map<String, Object> e = d.evidence == null ? Map.of() : d.evidence;
                    table.row(when(d), d.backupId, d.phase, value(e.get("sizeBytes")), value(e.get("sha256")),
                            cell(d.failureReason));
                }
                md.append(table);
            }
        });
        return md.toString();
    }

    private static String when(Drill d) {
        return (d.startedAt != null ? d.startedAt : d.createdAt).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String hours(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private static String value(Object o) {
        return o == null ? "–" : cell(String.valueOf(o));
    }
}
