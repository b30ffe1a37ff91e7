package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.CliException;
import ai.loopgpt.dr.cli.Connection;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drctl doctor}: asks each service of the context for its self-check ({@code GET
 * /api/v1/self-check}: its database, bucket, mail relay, peers…), compares each service's clock
 * with this machine's, and prints ✓ or ✗ per check with how to fix each ✗. A service that cannot
 * be asked (no URL, down, refusing the token) is itself a ✗. Exit 0 only if every line is ✓.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks that the suite works as set up: asks each service for its self-check (database, bucket, "
                + "mail relay, peers…) and compares each service's clock with this machine's.",
                "Prints ✓ or ✗ per check and how to fix each ✗; exits 0 only if every check passed, 2 otherwise."},
        footer = {"%nExamples:", "  drctl doctor",
                "  drctl doctor --service backup --service recovery",
                "  drctl doctor --context production -o json | jq '.services[] | select(.ok | not)'"})
public class DoctorCommand extends ApiCommand {

    static final String PATH = "/api/v1/self-check";
    /** How far a service's clock may be from this machine's before it counts as wrong. */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(10);

    @Option(names = "--service", paramLabel = "NAME",
            description = "Only this service (repeatable): backup, recovery, notification or status. Default: all four.")
    List<String> only;

    /** A line of the report: ✓ or ✗, what was checked, what was found, how to fix a ✗. */
    record Line(boolean ok, String name, String detail, String fix) {
    }

    /**
     * What a service said: its answer (null when it could not be asked), the lines to print, its
     * clock line (null when there is nothing to compare), and for JSON the error object.
     */
    record Report(Service service, String url, JsonNode answer, List<Line> lines, Line clock, ObjectNode clockJson,
            ObjectNode error) {
        boolean ok() {
            return lines.stream().allMatch(Line::ok) && (clock == null || clock.ok());
        }
    }

    @Override
    protected int run() {
        Set<Service> services = new LinkedHashSet<>();
        if (only == null || only.isEmpty()) {
            services.addAll(List.of(Service.values()));
        } else {
            only.forEach(name -> services.add(Service.named(name)));
        }
        Report token = token();
        List<Report> reports = token != null ? List.of(token) : checkAll(List.copyOf(services));
        boolean ok = reports.stream().allMatch(Report::ok);
        if (output.forPeople()) {
            print(reports);
        } else {
            ObjectNode result = Json.object().put("ok", ok);
            ArrayNode answers = result.putArray("services");
            ArrayNode clocks = result.putArray("clock");
            for (Report r : reports) {
                answers.add(r.error() != null ? r.error() : r.answer());
                if (r.clockJson() != null) {
                    clocks.add(r.clockJson());
                }
            }
            output.raw(result);
        }
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The token every call sends, got once: when drctl cannot get it, the services are not asked. */
    private Report token() {
        Connection connection = api.connection();
        try {
            connection.tokenSource().token(api.timeout());
            return null;
        } catch (CliException e) {
            Line line = new Line(false, "drctl's token (" + connection.tokenSource().describe() + ")", e.reason(),
                    "Fix the token's source: DRCTL_TOKEN, DRCTL_TOKEN_FILE, DRCTL_OIDC_* or the context's token-file or oidc.");
            ObjectNode error = Json.object().put("token", connection.tokenSource().describe()).put("ok", false)
                    .put("error", e.reason()).put("fix", line.fix());
            return new Report(null, null, null, List.of(line), null, null, error);
        }
    }

    /** Asks the services at once: four unreachable ones take one timeout, not four. */
    private List<Report> checkAll(List<Service> services) {
        ExecutorService pool = Executors.newFixedThreadPool(services.size(), r -> {
            Thread t = new Thread(r, "drctl-doctor");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Report>> asked = services.stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> check(s), pool)).toList();
            return asked.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    /** One service's report. */
    private Report check(Service service) {
        Connection connection = api.connection();
        String url = connection.url(service);
        if (connection.urlOrigin(service) == null && connection.contextName() != null) {
            return failed(service, null, null, "no URL in context '" + Text.printable(connection.contextName()) + "'",
                    "Set it: drctl context set " + Text.printable(connection.contextName()) + " --" + service.configKey()
                            + " URL (or " + service.environmentVariable() + "=URL).");
        }
        Instant sent = Instant.now();
        HttpResponse<String> response;
        try {
            response = api.exchange(service, "GET", PATH, null, null, "application/json");
        } catch (CliException e) {
            String fix = e.exitCode() == ExitCodes.UNREACHABLE
                    ? "Start " + service.title() + " (./run.sh starts the suite; in Kubernetes: kubectl get pods), or "
                            + "check its URL: " + service.environmentVariable() + ", or --" + service.configKey()
                            + " of drctl context set" + (connection.contextName() == null ? "" : " "
                            + Text.printable(connection.contextName())) + "."
                    : "Check its URL: " + service.environmentVariable() + ", or --" + service.configKey()
                            + " of drctl context set.";
            return failed(service, url, null, e.reason(), fix);
        }
        Instant received = Instant.now();
        int status = response.statusCode();
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        boolean report = answer != null && answer.isObject() && answer.path("checks").isArray();
        // A report is read whatever the status (a service may answer 503 with it); anything else is a refusal.
        if (!report && status != 200) {
            return failed(service, url, status, connection.redact(refusal(response)), fixFor(service, status, connection));
        }
        if (!report) {
            return failed(service, url, status, "the answer is not a self-check report",
                    "Check that " + Text.printable(url) + " is " + service.title() + " (" + service.environmentVariable()
                            + " or --" + service.configKey() + ").");
        }
        List<Line> lines = new ArrayList<>();
        String says = Json.text(answer, "service");
        if (says != null && !says.equals(service.title())) {
            lines.add(new Line(false, service.title() + " at " + url, "answers as " + says,
                    "Point " + service.environmentVariable() + " or --" + service.configKey() + " at " + service.title() + "."));
        }
        for (JsonNode check : answer.get("checks")) {
            lines.add(new Line(check.path("ok").asBoolean(false), Json.text(check, "name"), Json.text(check, "detail"),
                    Json.text(check, "fix")));
        }
        if (lines.isEmpty()) {
            lines.add(new Line(answer.path("ok").asBoolean(false), service.title() + " self-check", "no checks reported",
                    answer.path("ok").asBoolean(false) ? null : "See " + service.title() + "'s log."));
        } else if (!answer.path("ok").asBoolean(false) && lines.stream().allMatch(Line::ok)) {
            lines.add(new Line(false, service.title() + " self-check", "reports not ok, with every check passed",
                    "See " + service.title() + "'s log."));
        }
        Line clock = clock(service, sent, received, Json.text(answer, "checkedAt"));
        ObjectNode clockJson = Json.object().put("service", service.title()).put("ok", clock.ok())
                .put("checkedAt", Json.text(answer, "checkedAt"));
        Duration skew = skew(sent, received, Json.text(answer, "checkedAt"));
        if (skew != null) {
            clockJson.put("skewMillis", skew.toMillis());
        }
        clockJson.put("detail", clock.detail());
        clockJson.put("fix", clock.fix());
        return new Report(service, url, answer, lines, clock, clockJson, null);
    }

    private static Report failed(Service service, String url, Integer status, String detail, String fix) {
        ObjectNode error = Json.object().put("service", service.title()).put("url", url).put("ok", false);
        if (status != null) {
            error.put("status", status);
        }
        error.put("error", detail).put("fix", fix);
        Line line = new Line(false, service.title(), detail, fix);
        return new Report(service, url, null, List.of(line), null, null, error);
    }

    /** A refusal in a few words: the status, the problem's title and detail, its request id. */
    private static String refusal(HttpResponse<String> response) {
        StringBuilder said = new StringBuilder("HTTP ").append(response.statusCode());
        try {
            JsonNode problem = Json.MAPPER.readTree(response.body());
            if (problem != null && problem.isObject()) {
                for (String field : List.of("title", "detail")) {
                    if (Json.text(problem, field) != null) {
                        said.append(": ").append(Json.text(problem, field));
                    }
                }
                if (Json.text(problem, "requestId") != null) {
                    said.append(" (request id ").append(Json.text(problem, "requestId")).append(')');
                }
            }
        } catch (IOException notJson) {
            // The status says it.
        }
        return said.toString();
    }

    private static String fixFor(Service service, int status, Connection connection) {
        return switch (status) {
            case 401 -> "The token (" + connection.tokenSource().describe() + ") is missing, expired or not accepted by "
                    + service.title() + ": get a fresh one.";
            case 403 -> "The token is refused or lacks the role dr-viewer: use a token with dr-viewer (or above).";
            case 404 -> "Check that " + Text.printable(connection.url(service)) + " is " + service.title()
                    + " in a version with " + PATH + " (" + service.environmentVariable() + " or --"
                    + service.configKey() + ").";
            default -> status >= 500 ? "See " + service.title() + "'s log for the request id."
                    : "Check " + service.environmentVariable() + " or --" + service.configKey() + ".";
        };
    }

    /**
     * How far the service's clock ({@code checkedAt}) is from this machine's at the midpoint of the
     * request; positive when the service is ahead. Null when {@code checkedAt} is missing or not a time.
     */
    static Duration skew(Instant sent, Instant received, String checkedAt) {
        if (checkedAt == null) {
            return null;
        }
        try {
            Instant midpoint = sent.plus(Duration.between(sent, received).dividedBy(2));
            return Duration.between(midpoint, Instant.parse(checkedAt));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The clock line: ✗ when the service's clock is more than {@link #CLOCK_TOLERANCE} off. */
    static Line clock(Service service, Instant sent, Instant received, String checkedAt) {
        Duration skew = skew(sent, received, checkedAt);
        String name = service.title() + "'s clock";
        if (skew == null) {
            return new Line(false, name, "its answer has no checkedAt time (" + Text.printable(checkedAt) + ")",
                    "Upgrade " + service.title() + " to a version whose self-check says when it ran.");
        }
        String off = String.format(Locale.ROOT, "%.1f s", Math.abs(skew.toMillis()) / 1000.0);
        if (skew.abs().compareTo(CLOCK_TOLERANCE) <= 0) {
            return new Line(true, name, "within " + off + " of this machine's", null);
        }
        return new Line(false, name, off + (skew.isNegative() ? " behind" : " ahead of") + " this machine's",
                "Run NTP (chrony or systemd-timesyncd) on " + service.title() + "'s host and on this machine: tokens, "
                        + "schedules, deadlines and the RPO are measured with these clocks.");
    }

    private void print(List<Report> reports) {
        PrintWriter out = output.writer();
        int lines = 0;
        int failed = 0;
        for (Report r : reports) {
            out.println(r.service() == null ? "token" : r.service().title() + (r.url() == null ? "" : "  " + Text.printable(r.url())));
            for (Line line : r.lines()) {
                print(out, line);
                lines++;
                failed += line.ok() ? 0 : 1;
            }
            out.println();
        }
        List<Line> clocks = reports.stream().map(Report::clock).filter(c -> c != null).toList();
        if (!clocks.isEmpty()) {
            out.println("clocks (within " + CLOCK_TOLERANCE.toSeconds() + " s of this machine's)");
            for (Line line : clocks) {
                print(out, line);
                lines++;
                failed += line.ok() ? 0 : 1;
            }
            out.println();
        }
        out.println(failed == 0 ? "All " + lines + " checks passed." : failed + " of " + lines + " checks failed.");
        out.flush();
    }

    private static void print(PrintWriter out, Line line) {
        out.println("  " + (line.ok() ? "✓ " : "✗ ") + Text.printable(line.name())
                + (line.detail() == null || line.detail().isBlank() ? "" : " — " + Text.printable(line.detail())));
        if (!line.ok() && line.fix() != null && !line.fix().isBlank()) {
            out.println("      fix: " + Text.printable(line.fix()));
        }
    }
}
