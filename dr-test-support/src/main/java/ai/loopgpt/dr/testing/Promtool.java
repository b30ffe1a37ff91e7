package ai.loopgpt.dr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prometheus' own checker, {@code promtool} (Debian package {@code prometheus}; {@code .ci/run}
 * installs it): the exposition of {@code /q/metrics} and the chart's alerting rules are read by the
 * program Prometheus operators use, not by a parser of ours.
 */
public final class Promtool {

    /** What promtool said: its exit code and every line it wrote (stdout and stderr together). */
    public record Report(int exitCode, List<String> lines) {

        /** The lines about a metric whose name starts with {@code prefix} ({@code "<name> <problem>"}). */
        public List<String> about(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + (lines.isEmpty() ? ", no output" : ":\n" + String.join("\n", lines));
        }
    }

    private Promtool() {
    }

    /** {@code promtool check metrics} on a scrape in the Prometheus text format (lint problems exit with 3). */
    public static Report checkMetrics(String exposition) {
        return run(exposition, "check", "metrics");
    }

    /** {@code promtool check rules} on a Prometheus rules file. */
    public static Report checkRules(Path rules) {
        return run(null, "check", "rules", rules.toString());
    }

    /** {@code promtool test rules} on a rule unit-test file (its {@code rule_files} relative to it). */
    public static Report testRules(Path tests) {
        return run(null, "test", "rules", tests.toString());
    }

    /** The promtool on the PATH; a missing one fails the test with what to install. */
    public static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("promtool is not installed (it checks the metrics and alert rules"
                        + " the way Prometheus reads them). Install it: `apt-get install --no-install-recommends"
                        + " prometheus` on Debian/Ubuntu (.ci/run does), or put promtool from"
                        + " https://prometheus.io/download/ on the PATH."));
    }

    private static Report run(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Report(p.exitValue(), new String(out, StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
