package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * Follows a job (a backup, restore, rollback or drill) until it ends, showing its progress on
 * stderr: one redrawn line with a bar on a terminal, plain lines (no control characters) otherwise.
 * Ctrl-C stops following, never the job.
 */
public final class Follow {

    /** The phases a job may still leave. */
    private static final Set<String> RUNNING = Set.of("PENDING", "RUNNING");
    /** How long the service may stay unreachable while followed before drctl gives up. */
    static final Duration UNREACHABLE_GRACE = Duration.ofMinutes(2);

    /**
     * A kind of job: its noun ("backup"), where it is read, how its progress reads, how much of it
     * is done (0..1, or null when unknown), and its current step (a plain line is printed whenever
     * the phase or the step changes; by default the job's {@code step} field).
     */
    public record Job(String noun, Service service, String path, String showCommand,
            Function<JsonNode, String> progress, Function<JsonNode, Double> fraction, Function<JsonNode, String> step) {

        public Job(String noun, Service service, String path, String showCommand,
                Function<JsonNode, String> progress, Function<JsonNode, Double> fraction) {
            this(noun, service, path, showCommand, progress, fraction, n -> Json.text(n, "step"));
        }
    }

    private final Api api;
    private final PrintWriter err;
    private final boolean terminal;
    private final Duration interval;

    public Follow(Api api, PrintWriter err) {
        this(api, err, isTerminal(), Duration.ofSeconds(1));
    }

    Follow(Api api, PrintWriter err, boolean terminal, Duration interval) {
        this.api = api;
        this.err = err;
        this.terminal = terminal;
        this.interval = interval;
    }

    /** Whether stderr is a terminal (and not a dumb one): then progress redraws one line. */
    static boolean isTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception noProc) {
            return System.console() != null;
        }
    }

    /**
     * Polls {@code first} (the answer that started the job) until its phase is final or
     * {@code timeout} (null: none) passes; returns its last state.
     */
    public JsonNode until(Job job, JsonNode first, Duration timeout) {
        long started = System.nanoTime();
        String id = Json.requireText(job.service(), first, "id");
        Thread notice = new Thread(() -> {
            clearLine();
            err.println("Stopped waiting; the " + job.noun() + " goes on: " + job.showCommand() + " " + Text.printable(id));
            err.flush();
        }, "drctl-interrupted");
        Runtime.getRuntime().addShutdownHook(notice);
        JsonNode state = first;
        String lastLine = null;
        String lastPhase = null;
        long lastPrinted = 0;
        long unreachableSince = -1;
        try {
            while (true) {
                String phase = Json.requireText(job.service(), state, "phase");
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                String line = describe(job, state, elapsed);
                if (terminal) {
                    err.print("\r\u001b[2K" + bar(job.fraction().apply(state)) + line);
                    err.flush();
                } else if (!line.equals(lastLine) && (!phaseStep(job, state).equals(lastPhase)
                        || System.nanoTime() - lastPrinted > Duration.ofSeconds(10).toNanos())) {
                    err.println(line);
                    err.flush();
                    lastPrinted = System.nanoTime();
                    lastPhase = phaseStep(job, state);
                }
                lastLine = line;
                if (phase != null && !RUNNING.contains(phase)) {
                    if (terminal) {
                        err.println();
                        err.flush();
                    } else if (!phaseStep(job, state).equals(lastPhase)) {
                        err.println(line);
                        err.flush();
                    }
                    return state;
                }
                if (timeout != null && elapsed.compareTo(timeout) >= 0) {
                    if (terminal) {
                        err.println();
                    }
                    throw new CliException(ExitCodes.STILL_RUNNING, "The " + job.noun() + " " + Text.printable(id)
                            + " is still " + Text.printable(phase) + " after --wait-timeout " + Text.duration(timeout)
                            + "; it goes on: " + job.showCommand() + " " + Text.printable(id));
                }
                sleep(interval);
                try {
                    state = api.get(job.service(), job.path() + "/" + Api.segment(id));
                    unreachableSince = -1;
                } catch (CliException e) {
                    if (e.exitCode() != ExitCodes.UNREACHABLE && e.exitCode() != ExitCodes.SERVER_ERROR) {
                        throw e;
                    }
                    // A restarting service or replica: keep following for a while, the job is not its process.
                    if (unreachableSince < 0) {
                        unreachableSince = System.nanoTime();
                        clearLine();
                        err.println(job.service().title() + " does not answer; still waiting (up to "
                                + Text.duration(UNREACHABLE_GRACE) + ")");
                        err.flush();
                    } else if (System.nanoTime() - unreachableSince > UNREACHABLE_GRACE.toNanos()) {
                        throw e;
                    }
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(notice);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the notice is being printed.
            }
        }
    }

    private static String phaseStep(Job job, JsonNode state) {
        return Json.text(state, "phase") + "/" + job.step().apply(state);
    }

    private static String describe(Job job, JsonNode state, Duration elapsed) {
        StringBuilder line = new StringBuilder();
        line.append(job.noun()).append(' ').append(Text.printable(Json.text(state, "id"))).append("  ")
                .append(Text.printable(Json.text(state, "phase")));
        String step = job.step().apply(state);
        if (step != null && "RUNNING".equals(Json.text(state, "phase"))) {
            line.append(" (").append(Text.printable(step)).append(')');
        }
        String progress = job.progress().apply(state);
        if (progress != null && !progress.isEmpty()) {
            line.append("  ").append(Text.printable(progress));
        }
        line.append("  ").append(Text.duration(elapsed));
        return line.toString();
    }

    private static String bar(Double fraction) {
        if (fraction == null) {
            return "";
        }
        double f = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * 20);
        return "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "] " + String.format("%3d%% ", Math.round(f * 100));
    }

    private void clearLine() {
        if (terminal) {
            err.print("\r\u001b[2K");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.error("Interrupted.");
        }
    }
}
