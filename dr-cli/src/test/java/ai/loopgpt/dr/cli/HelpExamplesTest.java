package ai.loopgpt.dr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every example an operator can copy is a command line drctl accepts: those in every command's
 * help ({@code Examples:}) and in dr-cli/README.md. {@code incident step} examples name a step of
 * one of recovery-service's runbooks, with the options of that step's action.
 */
class HelpExamplesTest {

    /** The options (and --body keys) of each kind of step action. */
    static final Map<String, String> ACTION_OF_OPTION = Map.ofEntries(
            Map.entry("--backup", "restore"), Map.entry("--latest", "restore"), Map.entry("--latest-before", "restore"),
            Map.entry("--to-time", "restore"),
            Map.entry("--target", "restore"), Map.entry("--destination", "restore"), Map.entry("--mode", "restore"),
            Map.entry("--in-place", "restore"), Map.entry("--confirm", "restore"),
            Map.entry("--deployment", "rollback"), Map.entry("--to-revision", "rollback"),
            Map.entry("--health-url", "rollback"), Map.entry("--component", "set-components"),
            Map.entry("--message", "post-update"), Map.entry("--status", "post-update"),
            Map.entry("restore", "restore"), Map.entry("rollback", "rollback"), Map.entry("components", "set-components"),
            Map.entry("update", "post-update"));

    @Test
    void everyCommandsHelpHasExamplesThatParse() {
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (CommandLine command : commands(InProcessDrctl.commandLine(Map.of()))) {
            String name = command.getCommandSpec().qualifiedName();
            List<String> examples;
            try {
                examples = examples(command.getUsageMessage());
            } catch (IllegalStateException e) {
                failures.add(name + ": " + e.getMessage());
                continue;
            }
            if (command.getSubcommands().isEmpty() && examples.isEmpty()) {
                failures.add(name + ": no example in its help");
            }
            for (String example : examples) {
                String failure = parse(example);
                if (failure != null) {
                    failures.add(name + ": " + failure);
                }
                parsed++;
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(parsed > 60, "only " + parsed + " examples found");
    }

    @Test
    void theReadmesExamplesParse() throws IOException {
        List<String> examples = new ArrayList<>();
        boolean inCode = false;
        StringBuilder current = null;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            if (current != null) {
                current.append('\n').append(line);
            } else if (runsDrctl(line.strip())) {
                current = new StringBuilder(line.strip());
            }
            if (current != null && !line.endsWith("\\")) {
                examples.add(current.toString());
                current = null;
            }
        }
        List<String> failures = examples.stream().map(HelpExamplesTest::parse).filter(f -> f != null).toList();
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(examples.size() >= 10, "only " + examples.size() + " examples in the README: " + examples);
    }

    @Test
    void examplesAreSplitAsAShellSplitsThem() {
        assertEquals(List.of("drctl", "incident", "update", "ID", "--message", "It's fixed", "-m", "a \"b\" $c"),
                ShellWords.split("drctl incident update ID \\\n    --message 'It'\"'\"'s fixed' -m \"a \\\"b\\\" \\$c\""));
        assertEquals(List.of("drctl", "drill", "report", "--since", "90d"),
                ShellWords.split("drctl drill report --since 90d > drills.md"));
        assertEquals(List.of("drctl", "status", "incident"), ShellWords.split("drctl status incident    # the recent ones"));
        assertEquals(List.of("drctl", "x", "a#b"), ShellWords.split("drctl x a#b"));
    }

    @Test
    void aWrongExampleIsCaught() {
        assertTrue(parse("drctl restore create --target loopgpt --latest --latest-before 1h --destination loopgpt")
                .contains("mutually exclusive"));
        assertTrue(parse("drctl incident step ID assess --note 'primary is gone'").contains("no runbook has a step 'assess'"));
        assertTrue(parse("drctl incident step ID notify-users --deployment loopgpt/api").contains("not a rollback"));
        assertEquals(null, parse("drctl incident step ID notify-users -m 'Back.'"));
    }

    /** Every command line of drctl, depth first. */
    static List<CommandLine> commands(CommandLine line) {
        List<CommandLine> all = new ArrayList<>();
        all.add(line);
        line.getSubcommands().values().forEach(sub -> all.addAll(commands(sub)));
        return all;
    }

    static boolean runsDrctl(String line) {
        List<String> words = withoutAssignments(line);
        return !words.isEmpty() && (words.get(0).equals("drctl") || words.get(0).equals("./drctl"));
    }

    /** The words of a line after any leading NAME=value assignments (DRCTL_CONTEXT=staging drctl …). */
    static List<String> withoutAssignments(String line) {
        List<String> words;
        try {
            words = ShellWords.split(line);
        } catch (IllegalArgumentException unfinished) {
            words = List.of(line.split("\\s+"));
        }
        int first = 0;
        while (first < words.size() && words.get(first).matches("[A-Z_][A-Z0-9_]*=.*")) {
            first++;
        }
        return words.subList(first, words.size());
    }

    /**
     * The examples of a help text: the lines after "Example:" or "Examples:" that run drctl, with
     * their continuation lines. A line there that is neither (an example picocli wrapped) is a defect.
     */
    static List<String> examples(String help) {
        List<String> examples = new ArrayList<>();
        boolean in = false;
        StringBuilder current = null;
        for (String line : help.split("\\R")) {
            if (line.matches("Examples?:\\s*")) {
                in = true;
                continue;
            }
            if (!in || line.isBlank()) {
                continue;
            }
            if (current != null) {
                current.append('\n').append(line);
            } else if (runsDrctl(line.strip())) {
                current = new StringBuilder(line.strip());
            } else if (!line.contains("drctl")) {
                throw new IllegalStateException("a line of its examples that runs nothing (wrapped?): '" + line + "'");
            }
            if (current != null && !line.endsWith("\\")) {
                examples.add(current.toString());
                current = null;
            }
        }
        return examples;
    }

    /** Parses an example with a new drctl command line: null if drctl accepts it, else why not. */
    static String parse(String example) {
        List<String> words = withoutAssignments(example);
        CommandLine line = InProcessDrctl.commandLine(Map.of());
        ParseResult result;
        try {
            result = line.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return "'" + example + "': " + e.getMessage();
        }
        ParseResult command = result;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        if (command.commandSpec().qualifiedName().equals("drctl incident step")) {
            return checkStep(example, command);
        }
        return null;
    }

    /** A step example names a step of a runbook, with the options (or --body) of the step's action. */
    private static String checkStep(String example, ParseResult step) {
        String id = step.matchedPositional(1).getValue();
        Map<String, Set<String>> actions = runbookSteps();
        if (!actions.containsKey(id)) {
            return "'" + example + "': no runbook has a step '" + id + "' (" + actions.keySet() + ")";
        }
        Set<String> kinds = new HashSet<>();
        for (OptionSpec option : step.matchedOptions()) {
            String kind = ACTION_OF_OPTION.get(option.longestName());
            if (kind != null) {
                kinds.add(kind);
            }
            if (option.longestName().equals("--body")) {
                try {
                    Json.MAPPER.readTree(option.<String>getValue()).fieldNames().forEachRemaining(key -> {
                        if (ACTION_OF_OPTION.containsKey(key)) {
                            kinds.add(ACTION_OF_OPTION.get(key));
                        }
                    });
                } catch (IOException e) {
                    return "'" + example + "': --body is not JSON: " + e.getMessage();
                }
            }
        }
        for (String kind : kinds) {
            if (!actions.get(id).contains(kind)) {
                return "'" + example + "': step '" + id + "' is not a " + kind + " step (its action: "
                        + actions.get(id) + ")";
            }
        }
        return null;
    }

    /** Each step id of recovery-service's runbooks, with the actions it has in them ("none": a checklist item). */
    static Map<String, Set<String>> runbookSteps() {
        Path runbooks = Path.of("../recovery-service/src/main/resources/runbooks");
        assertTrue(Files.isDirectory(runbooks), runbooks.toAbsolutePath() + " is missing");
        Map<String, Set<String>> actions = new HashMap<>();
        try (Stream<Path> files = Files.list(runbooks)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                for (JsonNode s : Json.MAPPER.readTree(file.toFile()).path("steps")) {
                    actions.computeIfAbsent(s.path("id").asText(), k -> new HashSet<>())
                            .add(s.hasNonNull("action") ? s.get("action").asText() : "none");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(actions.isEmpty(), "no runbook steps in " + runbooks);
        return actions;
    }
}
