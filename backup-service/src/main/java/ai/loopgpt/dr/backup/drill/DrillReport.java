package ai.loopgpt.dr.backup.drill;

import static ai.loopgpt.dr.text.Markdown.cell;

import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.text.Markdown;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The drill history as Markdown: what the plan means by "documents results: all tests". Backup-service's
 * own drills per target, then the game days recovery-service ran in the same period.
 */
@ApplicationScoped
public class DrillReport {

    private final BackupSettings settings;
    private final RecoveryClient recovery;
    private final Clock clock;

    public DrillReport(BackupSettings settings, RecoveryClient recovery, Clock clock) {
        this.settings = settings;
        this.recovery = recovery;
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
        md.append("\n## Game days\n\n").append(gameDays(from));
        return md.toString();
    }

    /** recovery-service's game days since {@code from}, newest first; one line when they cannot be read. */
    private String gameDays(Instant from) {
        if (!recovery.configured()) {
            return "Game days are run by recovery-service, which is not configured here: set "
                    + "backup.drills.recovery-url and backup.drills.recovery-token.\n";
        }
        JsonNode days;
        try {
            days = recovery.gameDays(from);
        } catch (RecoveryClient.RecoveryFailure e) {
            return "The game days could not be read: " + cell(e.getMessage()) + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "The game days could not be read: interrupted.\n";
        }
        if (!days.isArray()) {
            return "The game days could not be read: recovery-service answered with something that is not a list.\n";
        }
        if (days.isEmpty()) {
            return "No game days in this period.\n";
        }
        StringBuilder md = new StringBuilder();
        for (JsonNode day : days) {
            String when = text(day, "startedAt") != null ? text(day, "startedAt") : text(day, "createdAt");
            md.append("### ").append(cell(time(when))).append(", ").append(cell(text(day, "phase")))
                    .append(", requested by ").append(cell(text(day, "requestedBy"))).append("\n\n");
            if (text(day, "failureReason") != null) {
                md.append(cell(text(day, "failureReason"))).append("\n\n");
            }
            JsonNode objectives = day.path("objectives");
            Markdown.Table table = Markdown.table("Scenario", "Phase", "RTO", "RPO", "First message", "Failed step",
                    "Reason");
            for (JsonNode s : day.path("scenarios")) {
                table.row(cell(text(s, "title") != null ? text(s, "title") : text(s, "scenario")), cell(text(s, "phase")),
                        against(s.path("rtoSeconds"), objectives.path("rtoSeconds")),
                        against(s.path("rpoSeconds"), objectives.path("rpoSeconds")),
                        s.path("firstMessageSeconds").isNumber() ? human(s.path("firstMessageSeconds").asDouble()) : "–",
                        cell(text(s, "failedStep")), cell(text(s, "reason")));
            }
            md.append(table).append('\n');
        }
        return md.toString();
    }

    /** "42 s of 4 h": a measured time against its objective; "–" when not measured. */
    private static String against(JsonNode measured, JsonNode objective) {
        if (!measured.isNumber()) {
            return "–";
        }
        return human(measured.asDouble()) + (objective.isNumber() ? " of " + human(objective.asDouble()) : "");
    }

    /** 2.1 → "2.1 s", 300 → "5 min", 14400 → "4 h", 5400 → "1 h 30 min". */
    static String human(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "–";
        }
        if (Math.round(seconds * 10) < 600) {
            String s = String.format(Locale.ROOT, "%.1f", seconds);
            return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " s";
        }
        long whole = Math.round(seconds);
        if (whole < 3600) {
            return whole / 60 + " min" + (whole % 60 == 0 ? "" : " " + whole % 60 + " s");
        }
        long minutes = whole / 60;
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** An ISO instant to the second, as the rest of the report shows times; other text as it is. */
    private static String time(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
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
