package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * drctl's contexts, in {@code ~/.config/drctl/config.yaml} ({@code $XDG_CONFIG_HOME/drctl/…} when
 * set, or the file named by {@code DRCTL_CONFIG}):
 *
 * <pre>
 * current-context: local
 * contexts:
 *   local:
 *     backup-url: http://localhost:8081
 *     recovery-url: http://localhost:8082
 *     notification-url: http://localhost:8083
 *     status-url: http://localhost:8084
 *     token-file: /home/me/loopgpt-dr/.data/tokens/operator.jwt
 *   production:
 *     backup-url: https://dr.example.com/backup
 *     …
 *     oidc:
 *       issuer: https://auth.example.com/realms/loopgpt
 *       client-id: drctl-ops
 *       client-secret-file: /etc/drctl/client-secret
 * </pre>
 *
 * A context holds where secrets are, never a secret itself. Keys drctl does not know are kept.
 */
public final class CliConfig {

    static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build()).build();

    /** The keys a context may have, besides the four URLs. */
    static final List<String> TOKEN_KEYS = List.of("token-file", "oidc");

    private final Path file;
    private final ObjectNode root;

    private CliConfig(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** Where the configuration is: DRCTL_CONFIG, else $XDG_CONFIG_HOME/drctl/config.yaml, else ~/.config/…. */
    public static Path location() {
        return location(System::getenv);
    }

    /** {@link #location()} in the given environment. */
    public static Path location(java.util.function.Function<String, String> env) {
        String explicit = env.apply("DRCTL_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.apply("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("drctl").resolve("config.yaml");
    }

    /** The configuration file, or an empty one when it does not exist yet. */
    public static CliConfig load() {
        return load(System::getenv);
    }

    /** {@link #load()} in the given environment. */
    public static CliConfig load(java.util.function.Function<String, String> env) {
        Path file = location(env);
        if (!Files.exists(file)) {
            return new CliConfig(file, JsonNodeFactory.instance.objectNode());
        }
        try {
            JsonNode read = YAML.readTree(file.toFile());
            if (read == null || read.isMissingNode() || read.isNull()) {
                return new CliConfig(file, JsonNodeFactory.instance.objectNode());
            }
            if (!read.isObject() || (read.has("contexts") && !read.get("contexts").isObject())) {
                throw CliException.error(file + " is not a drctl configuration: expected 'current-context' and a "
                        + "'contexts' map of names to settings.");
            }
            return new CliConfig(file, (ObjectNode) read);
        } catch (JacksonException e) {
            // The parser's own words name its classes and quote the file: the line is what helps.
            int line = line(e);
            throw CliException.error("Cannot read " + file + ": not valid YAML" + (line > 0 ? " (line " + line + ")" : "")
                    + ". Fix it, or write it again with drctl context set.");
        } catch (IOException e) {
            throw CliException.error("Cannot read " + file + ": " + Text.printable(Text.ioReason(e)) + ".");
        }
    }

    /**
     * The line of a YAML error: where the parser found the problem, or, for something left open at
     * the end of the file (a quote, a bracket), where it was opened; else where Jackson stood.
     */
    private static int line(JacksonException e) {
        if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String problem = String.valueOf(marked.getProblem());
            boolean leftOpen = problem.contains("stream end") || problem.contains("end of stream");
            return (leftOpen && marked.getContextMark() != null ? marked.getContextMark() : marked.getProblemMark()).getLine() + 1;
        }
        return e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    }

    public Path file() {
        return file;
    }

    public String currentContext() {
        JsonNode current = root.get("current-context");
        return current == null || current.isNull() ? null : current.asText();
    }

    public List<String> contextNames() {
        List<String> names = new ArrayList<>();
        JsonNode contexts = root.get("contexts");
        if (contexts != null) {
            contexts.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** The settings of context {@code name}, or null. */
    public ObjectNode context(String name) {
        JsonNode contexts = root.get("contexts");
        JsonNode context = contexts == null ? null : contexts.get(name);
        if (context != null && !context.isObject()) {
            throw CliException.error("Context '" + Text.printable(name) + "' in " + file + " is not a map of settings.");
        }
        return (ObjectNode) context;
    }

    /** Sets the given settings of context {@code name} (created if new; a null value removes a key). */
    public void setContext(String name, Map<String, JsonNode> settings) {
        ObjectNode contexts = root.has("contexts") ? (ObjectNode) root.get("contexts") : root.putObject("contexts");
        ObjectNode context = contexts.has(name) ? (ObjectNode) contexts.get(name) : contexts.putObject(name);
        settings.forEach((key, value) -> {
            if (value == null || value.isNull()) {
                context.remove(key);
            } else {
                context.set(key, value);
            }
        });
    }

    public boolean deleteContext(String name) {
        JsonNode contexts = root.get("contexts");
        if (contexts == null || !contexts.has(name)) {
            return false;
        }
        ((ObjectNode) contexts).remove(name);
        if (name.equals(currentContext())) {
            root.remove("current-context");
        }
        return true;
    }

    public void useContext(String name) {
        root.put("current-context", name);
    }

    /** Writes the file atomically, readable by its owner only. */
    public void save() {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".config", ".yaml");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Nothing to narrow on such a file system.
            }
            YAML.writeValue(temp.toFile(), sorted(root));
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliException.error("Cannot write " + file + ": " + Text.printable(Text.ioReason(e)) + ".");
        }
    }

    /** current-context first, then contexts, then anything else. */
    private static ObjectNode sorted(ObjectNode root) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (root.has("current-context")) {
            out.set("current-context", root.get("current-context"));
        }
        if (root.has("contexts")) {
            out.set("contexts", root.get("contexts"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.putIfAbsent(e.getKey(), e.getValue());
        }
        return out;
    }
}
