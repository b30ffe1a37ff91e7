package ai.loopgpt.dr.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.Promtool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's PrometheusRule, rendered by real Helm, read by Prometheus' own {@code promtool}: the
 * rule groups are valid ({@code check rules}), the alerts fire when they should and stay quiet when
 * they should not ({@code test rules} with {@code prometheus/alerts-test.yaml}), and every metric
 * they use is in the root README's table of the suite's metrics.
 */
class AlertRulesIT {

    static final Path DIR = ChartIT.ROOT.resolve("helm/target/prometheus");

    /** The rule groups of the PrometheusRule the chart renders with {@code metrics.prometheusRule.enabled}. */
    static Path renderRules() throws IOException {
        String manifests = new Helm(ChartIT.CHART).template().withName("dr").withNamespace("dr")
                .set("metrics.prometheusRule.enabled", true).call();
        JsonNode spec = null;
        for (String document : manifests.split("(?m)^---\\s*$")) {
            JsonNode object = ChartIT.YAML.readTree(document);
            if (object != null && "PrometheusRule".equals(object.path("kind").asText())) {
                spec = object.get("spec");
            }
        }
        assertNotNull(spec, "the chart renders a PrometheusRule with metrics.prometheusRule.enabled");
        ObjectNode rules = ChartIT.YAML.createObjectNode();
        rules.set("groups", spec.get("groups"));
        Files.createDirectories(DIR);
        Path file = DIR.resolve("rules.yaml");
        ChartIT.YAML.writeValue(file.toFile(), rules);
        return file;
    }

    @Test
    void theRenderedRulesPassPromtoolCheckRules() throws IOException {
        Promtool.Report report = Promtool.checkRules(renderRules());
        System.out.println("promtool check rules: " + report);
        assertEquals(0, report.exitCode(), report.toString());
        assertTrue(report.lines().stream().anyMatch(l -> l.contains("SUCCESS: 3 rules found")), report.toString());
        assertTrue(report.lines().stream().noneMatch(l -> l.contains("WARNING") || l.contains("FAILED")),
                report.toString());
    }

    @Test
    void theAlertsFireAsTheirUnitTestsSay() throws IOException {
        renderRules();
        Path tests = DIR.resolve("alerts-test.yaml");
        try (InputStream in = AlertRulesIT.class.getResourceAsStream("/prometheus/alerts-test.yaml")) {
            Files.copy(in, tests, StandardCopyOption.REPLACE_EXISTING);
        }
        Promtool.Report report = Promtool.testRules(tests);
        System.out.println("promtool test rules: " + report);
        assertEquals(0, report.exitCode(), report.toString());
        assertTrue(report.lines().stream().anyMatch(l -> l.contains("SUCCESS")), report.toString());
    }

    @Test
    void everyMetricTheAlertsUseIsInTheReadmesMetricsTable() throws IOException {
        String rules = Files.readString(renderRules());
        String readme = Files.readString(ChartIT.ROOT.resolve("README.md"));
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\bdr_[a-z_]+").matcher(rules);
        while (m.find()) {
            used.add(m.group());
        }
        assertEquals(4, used.size(), "the metrics the three alerts use (the RPO rule two of them): " + used);
        List<String> missing = new ArrayList<>();
        for (String metric : used) {
            if (readme.lines().noneMatch(l -> l.startsWith("| `" + metric + "`"))) {
                missing.add(metric);
            }
        }
        assertTrue(missing.isEmpty(), "alerts use metrics the root README's metrics table does not list: " + missing);
    }
}
