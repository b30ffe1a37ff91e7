package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code drctl drill game-day} (recovery-service): runs the plan's game day, its test scenarios one
 * after another, and follows it; or, without --run, declares one drill incident of an incident scenario.
 */
@Command(name = "game-day", mixinStandardHelpOptions = true,
        description = {"The plan's quarterly game day (recovery-service). With --run: runs the plan's test scenarios "
                + "one after another, each as a drill incident (restores only into scratch destinations, messages to "
                + "the drill audience only, never the public page), and measures each one's RTO, RPO and time to the "
                + "first message. Without --run: declares one drill incident of an incident scenario, to run by hand."},
        footer = {"%nExamples:", "  drctl drill game-day --run --wait",
                "  drctl drill game-day --run --scenario database-restore --scenario communication-plan --wait --wait-timeout 2h",
                "  drctl drill game-day --show 5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60 --wait",
                "  drctl drill game-day --scenario database-failure"})
class GameDayCommand extends ApiCommand {

    static final String PATH = "/api/v1/drills/game-days";
    /** What a game day runs: the plan's test scenarios, in the order it runs them. */
    static final List<String> GAME_DAY_SCENARIOS = List.of("database-restore", "edge-function-rollback",
            "complete-service-recovery", "communication-plan");
    /** The incident scenarios (the runbooks) one drill incident is declared of without --run. */
    static final List<String> INCIDENT_SCENARIOS = List.of("database-failure", "edge-function-failure", "provider-outage",
            "complete-outage", "data-breach");

    /** A game day: its step is the scenario running, its progress the scenarios that ended. */
    static final Follow.Job JOB = new Follow.Job("game day", Service.RECOVERY, PATH, "drctl drill game-day --show",
            GameDayCommand::progress, GameDayCommand::fraction, GameDayCommand::runningScenario);

    @Option(names = "--run", description = "Run a game day: the test scenarios one after another (all four by default).")
    boolean run;

    @Option(names = "--scenario", paramLabel = "SCENARIO",
            description = {"With --run (repeatable): only these of the plan's test scenarios: database-restore, edge-function-rollback, "
                    + "complete-service-recovery, communication-plan.",
                    "Without --run: declare one drill incident of this incident scenario: database-failure, "
                            + "edge-function-failure, provider-outage, complete-outage or data-breach."})
    List<String> scenarios;

    @Option(names = "--show", paramLabel = "ID", description = "Show the game day ID (with --wait: follow it to its end).")
    String show;

    @Mixin
    WaitOptions wait;

    @Override
    protected int run() {
        List<String> chosen = scenarios == null ? List.of() : scenarios.stream().map(String::strip).toList();
        wait.timeout();
        if (show != null) {
            if (run || !chosen.isEmpty()) {
                throw new IllegalArgumentException("--show ID shows a game day that exists: give it without --run and --scenario.");
            }
            JsonNode gameDay = api.get(Service.RECOVERY, PATH + "/" + Api.segment(show));
            return wait.wait ? followed(gameDay, wait, JOB, this::report) : shown(gameDay);
        }
        if (run) {
            return runGameDay(chosen);
        }
        return declareDrillIncident(chosen);
    }

    private int runGameDay(List<String> chosen) {
        for (String scenario : chosen) {
            if (INCIDENT_SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("--scenario '" + Text.printable(scenario) + "' is an incident scenario; a game "
                        + "day (--run) runs test scenarios: " + String.join(", ", GAME_DAY_SCENARIOS)
                        + ". Without --run, --scenario " + Text.printable(scenario) + " declares one drill incident of it.");
            }
            if (!GAME_DAY_SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("--scenario '" + Text.printable(scenario) + "' is not a game-day scenario: "
                        + String.join(", ", GAME_DAY_SCENARIOS) + ".");
            }
        }
        ObjectNode body = Json.object().put("run", true);
        if (!chosen.isEmpty()) {
            chosen.forEach(body.putArray("scenarios")::add);
        }
        JsonNode accepted = api.post(Service.RECOVERY, PATH, body);
        if (wait.wait) {
            return followed(accepted, wait, JOB, this::report);
        }
        if (!output.forPeople()) {
            output.raw(accepted);
            return ExitCodes.OK;
        }
        report(accepted);
        followHint(JOB, Json.text(accepted, "id"));
        return ExitCodes.OK;
    }

    private int declareDrillIncident(List<String> chosen) {
        if (chosen.size() != 1) {
            throw new IllegalArgumentException(chosen.isEmpty()
                    ? "Give --run to run a game day, or --scenario S to declare one drill incident of an incident scenario."
                    : "Without --run, give one --scenario: the incident scenario of the drill incident to declare.");
        }
        String scenario = chosen.get(0);
        if (GAME_DAY_SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("--scenario '" + Text.printable(scenario) + "' is a game-day scenario: run it "
                    + "with --run (drctl drill game-day --run --scenario " + Text.printable(scenario) + "). Without --run, "
                    + "--scenario is an incident scenario: " + String.join(", ", INCIDENT_SCENARIOS) + ".");
        }
        if (!INCIDENT_SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("--scenario '" + Text.printable(scenario) + "' is not an incident scenario: "
                    + String.join(", ", INCIDENT_SCENARIOS) + " (or, with --run, a game-day scenario: "
                    + String.join(", ", GAME_DAY_SCENARIOS) + ").");
        }
        if (wait.wait) {
            throw new IllegalArgumentException("--wait follows a game day: add --run (a drill incident is run by hand).");
        }
        var started = api.post(Service.RECOVERY, PATH, Json.object().put("scenario", scenario));
        output.object(Service.RECOVERY, started, "id");
        if (output.forPeople()) {
            output.writer().printf("%nRun it: drctl incident show %s; drctl runbook show %s%n",
                    Text.printable(Json.text(started, "id")), Text.printable(scenario));
            output.writer().flush();
        }
        return ExitCodes.OK;
    }

    private int shown(JsonNode gameDay) {
        if (output.forPeople()) {
            report(gameDay);
        } else {
            output.raw(gameDay);
        }
        return ExitCodes.OK;
    }

    /**
     * For people: the game day's id, phase, times and failure, then one line per scenario: its phase,
     * RTO and RPO against the plan's objectives, time to the first message, and why it failed (at which
     * step) or was skipped.
     */
    void report(JsonNode gameDay) {
        List<String[]> rows = new ArrayList<>();
        String rtoObjective;
        String rpoObjective;
        try {
            Json.requireObject(gameDay);
            Json.requireText(gameDay, "id");
            Json.requireText(gameDay, "phase");
            rtoObjective = seconds(gameDay, "objectives.rtoSeconds");
            rpoObjective = seconds(gameDay, "objectives.rpoSeconds");
            for (JsonNode scenario : scenarios(gameDay)) {
                String phase = Json.requireText(scenario, "phase");
                String detail = switch (phase) {
                    case "FAILED" -> "failed at " + orDash(Json.text(scenario, "failedStep"))
                            + (Json.text(scenario, "reason") == null ? "" : ": " + Json.text(scenario, "reason"));
                    case "SKIPPED" -> "skipped" + (Json.text(scenario, "reason") == null ? "" : ": " + Json.text(scenario, "reason"));
                    default -> null;
                };
                rows.add(new String[] {Text.printable(Json.requireText(scenario, "scenario")), Text.printable(phase),
                        against(seconds(scenario, "rtoSeconds"), rtoObjective),
                        against(seconds(scenario, "rpoSeconds"), rpoObjective),
                        orDash(seconds(scenario, "firstMessageSeconds")),
                        detail == null ? "" : Text.printable(detail)});
            }
        } catch (Json.UnexpectedDocument e) {
            throw e.from(Service.RECOVERY);
        }
        ObjectNode head = gameDay.deepCopy();
        head.remove(List.of("scenarios", "objectives"));
        output.object(Service.RECOVERY, head);
        output.writer().println();
        output.table(List.of("SCENARIO", "PHASE", "RTO / OBJECTIVE", "RPO / OBJECTIVE", "FIRST MESSAGE", "DETAIL"), rows);
    }

    private static List<JsonNode> scenarios(JsonNode gameDay) {
        JsonNode list = Json.require(gameDay, "scenarios");
        if (!list.isArray()) {
            throw new Json.UnexpectedDocument("'scenarios' is " + Json.kind(list) + ", not a list");
        }
        List<JsonNode> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                items.add(Json.requireObject(list.get(i)));
            } catch (Json.UnexpectedDocument e) {
                throw e.in("scenarios[" + i + "]");
            }
        }
        return items;
    }

    /** A number of seconds (maybe fractional) at {@code field} as "1m15s", or null when absent. */
    private static String seconds(JsonNode node, String field) {
        JsonNode value = Json.at(node, field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new Json.UnexpectedDocument("'" + field + "' is " + Json.kind(value) + ", not a number of seconds");
        }
        return Text.duration(Duration.ofMillis(Math.round(value.asDouble() * 1000)));
    }

    private static String against(String measured, String objective) {
        return orDash(measured) + (objective == null ? "" : " / " + objective);
    }

    private static String orDash(String text) {
        return text == null ? "-" : Text.printable(text);
    }

    /** While it runs: how many scenarios ended, and how the last one ended. */
    static String progress(JsonNode gameDay) {
        List<JsonNode> ended = ended(gameDay);
        int all = gameDay.path("scenarios").size();
        if (all == 0) {
            return null;
        }
        return ended.size() + "/" + all + " scenarios ended" + (ended.isEmpty() ? "" : ", last "
                + Json.text(ended.get(ended.size() - 1), "scenario") + " " + Json.text(ended.get(ended.size() - 1), "phase"));
    }

    static Double fraction(JsonNode gameDay) {
        int all = gameDay.path("scenarios").size();
        return all == 0 ? null : (double) ended(gameDay).size() / all;
    }

    /** The scenarios no longer PENDING or RUNNING, in the game day's order. */
    private static List<JsonNode> ended(JsonNode gameDay) {
        List<JsonNode> ended = new ArrayList<>();
        for (JsonNode scenario : gameDay.path("scenarios")) {
            String phase = Json.text(scenario, "phase");
            if (phase != null && !phase.equals("PENDING") && !phase.equals("RUNNING")) {
                ended.add(scenario);
            }
        }
        return ended;
    }

    static String runningScenario(JsonNode gameDay) {
        for (JsonNode scenario : gameDay.path("scenarios")) {
            if ("RUNNING".equals(Json.text(scenario, "phase"))) {
                return Json.text(scenario, "scenario");
            }
        }
        return null;
    }
}
