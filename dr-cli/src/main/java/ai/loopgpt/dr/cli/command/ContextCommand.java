package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.CliConfig;
import ai.loopgpt.dr.cli.CliException;
import ai.loopgpt.dr.cli.Connection;
import ai.loopgpt.dr.cli.Drctl;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Failure;
import ai.loopgpt.dr.cli.Output;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "context",
        description = "Contexts: where the services are and where drctl's token comes from (~/.config/drctl/config.yaml).",
        subcommands = {ContextCommand.ListContexts.class, ContextCommand.Use.class, ContextCommand.Set.class,
                ContextCommand.Show.class, ContextCommand.Delete.class},
        mixinStandardHelpOptions = true)
public class ContextCommand {

    /** Runs a context command, reporting a bad file or name as an error. */
    abstract static class ConfigCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** The DRCTL_* variables: drctl's environment ({@link Drctl#environment()}), the process's by default. */
        Function<String, String> env() {
            return spec.root().userObject() instanceof Drctl drctl ? drctl.environment() : System::getenv;
        }

        @Override
        public Integer call() {
            try {
                return run(spec.commandLine().getOut());
            } catch (RuntimeException | VirtualMachineError e) {
                return Failure.report(e, spec.commandLine().getErr(), text -> text);
            }
        }

        abstract int run(PrintWriter out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the contexts; * marks the current one.",
            footer = {"%nExample:", "  drctl context list"})
    static class ListContexts extends ConfigCommand {
        @Override
        int run(PrintWriter out) {
            CliConfig config = CliConfig.load(env());
            List<String[]> rows = new ArrayList<>();
            for (String name : config.contextNames()) {
                ObjectNode c = config.context(name);
                rows.add(new String[] {name.equals(config.currentContext()) ? "*" : "", Text.printable(name),
                        Text.printable(c.path(Service.BACKUP.configKey()).asText("-")), tokenOf(c)});
            }
            if (rows.isEmpty()) {
                out.println("No contexts in " + config.file() + " (./run.sh writes 'local'; drctl context set adds one).");
            } else {
                new Output(out, Output.Format.table).table(List.of("CURRENT", "NAME", "BACKUP-URL", "TOKEN"), rows);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static String tokenOf(JsonNode context) {
        if (context.hasNonNull("token-file")) {
            return "file " + Text.printable(context.get("token-file").asText());
        }
        if (context.has("oidc")) {
            return "oidc " + Text.printable(context.path("oidc").path("client-id").asText()) + " @ "
                    + Text.printable(context.path("oidc").path("issuer").asText());
        }
        return "none";
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = "Makes a context the current one.",
            footer = {"%nExample:", "  drctl context use production"})
    static class Use extends ConfigCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(PrintWriter out) {
            CliConfig config = CliConfig.load(env());
            if (config.context(name) == null) {
                throw CliException.error("No context '" + Text.printable(name) + "' in " + config.file() + "; it has: "
                        + String.join(", ", config.contextNames().stream().sorted().toList()) + ".");
            }
            config.useContext(name);
            config.save();
            out.println("Current context: " + name);
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Creates or changes a context. It stores where the token is (a file, an OIDC client), never a token.",
            footer = {"%nExamples:",
                    "  drctl context set staging --backup-url https://backup.staging.example.com \\",
                    "      --recovery-url https://recovery.staging.example.com --token-file ~/.loopgpt/staging.jwt --use",
                    "  drctl context set production --backup-url https://backup.example.com \\",
                    "      --oidc-issuer https://auth.example.com/realms/loopgpt \\",
                    "      --oidc-client-id drctl-ops --oidc-client-secret-file /etc/drctl/client-secret"})
    static class Set extends ConfigCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--backup-url")
        String backupUrl;
        @Option(names = "--recovery-url")
        String recoveryUrl;
        @Option(names = "--notification-url")
        String notificationUrl;
        @Option(names = "--status-url")
        String statusUrl;
        @Option(names = "--token-file", description = "A file holding a bearer token (read at each call).")
        Path tokenFile;
        @Option(names = "--oidc-issuer", description = "Get tokens by client credentials from this OIDC issuer.")
        String oidcIssuer;
        @Option(names = "--oidc-client-id")
        String oidcClientId;
        @Option(names = "--oidc-client-secret-file", description = "A file holding the client secret.")
        Path oidcSecretFile;
        @Option(names = "--oidc-client-secret-env", description = "An environment variable holding the client secret.")
        String oidcSecretEnv;
        @Option(names = "--oidc-scope")
        String oidcScope;
        @Option(names = "--use", description = "Also make it the current context.")
        boolean use;

        @Override
        int run(PrintWriter out) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new CliException(ExitCodes.USAGE, "A context name is 1-63 letters, digits, '.', '_' or '-'.");
            }
            if (tokenFile != null && oidcIssuer != null) {
                throw new CliException(ExitCodes.USAGE, "Give --token-file or --oidc-issuer, not both.");
            }
            Map<String, JsonNode> settings = new LinkedHashMap<>();
            url(settings, Service.BACKUP, backupUrl);
            url(settings, Service.RECOVERY, recoveryUrl);
            url(settings, Service.NOTIFICATION, notificationUrl);
            url(settings, Service.STATUS, statusUrl);
            if (tokenFile != null) {
                settings.put("token-file", TextNode.valueOf(tokenFile.toAbsolutePath().normalize().toString()));
                settings.put("oidc", null);
            }
            if (oidcIssuer != null) {
                if (!Connection.isHttpUrl(oidcIssuer)) {
                    throw new CliException(ExitCodes.USAGE, "--oidc-issuer '" + Text.printable(oidcIssuer)
                            + "' is not an http(s) URL.");
                }
                if (oidcClientId == null || (oidcSecretFile == null && oidcSecretEnv == null)) {
                    throw new CliException(ExitCodes.USAGE, "--oidc-issuer needs --oidc-client-id and "
                            + "--oidc-client-secret-file or --oidc-client-secret-env.");
                }
                ObjectNode oidc = JsonNodeFactory.instance.objectNode().put("issuer", oidcIssuer).put("client-id", oidcClientId);
                if (oidcSecretFile != null) {
                    oidc.put("client-secret-file", oidcSecretFile.toAbsolutePath().normalize().toString());
                }
                if (oidcSecretEnv != null) {
                    oidc.put("client-secret-env", oidcSecretEnv);
                }
                if (oidcScope != null) {
                    oidc.put("scope", oidcScope);
                }
                settings.put("oidc", oidc);
                settings.put("token-file", null);
            }
            CliConfig config = CliConfig.load(env());
            boolean existed = config.context(name) != null;
            config.setContext(name, settings);
            if (use || config.currentContext() == null) {
                config.useContext(name);
            }
            config.save();
            out.println((existed ? "Context changed: " : "Context created: ") + name + " (" + config.file() + ")"
                    + (name.equals(config.currentContext()) ? "; it is the current context" : ""));
            out.flush();
            return ExitCodes.OK;
        }

        private static void url(Map<String, JsonNode> settings, Service service, String url) {
            if (url == null) {
                return;
            }
            if (!Connection.isHttpUrl(url)) {
                throw new CliException(ExitCodes.USAGE, "--" + service.configKey() + " '" + Text.printable(url)
                        + "' is not an http(s) URL (http://host:port or https://host, optionally with a path).");
            }
            settings.put(service.configKey(), TextNode.valueOf(url));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "What drctl would use now: context, URLs (after environment overrides), token source.",
            footer = {"%nExample:", "  DRCTL_CONTEXT=staging drctl context show"})
    static class Show extends ConfigCommand {
        @Option(names = "--context", paramLabel = "NAME")
        String context;

        @Override
        int run(PrintWriter out) {
            Connection c = Connection.resolve(context, env());
            out.println("config:   " + CliConfig.location(env()));
            out.println("context:  " + (c.contextName() == null ? "(none: local defaults and environment)" : c.contextName()));
            for (Service s : Service.values()) {
                out.printf("%-9s %s%n", s.name().toLowerCase() + ":", Text.printable(c.url(s)));
            }
            out.println("token:    " + c.tokenSource().describe());
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a context.",
            footer = {"%nExample:", "  drctl context delete staging"})
    static class Delete extends ConfigCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(PrintWriter out) {
            CliConfig config = CliConfig.load(env());
            if (!config.deleteContext(name)) {
                throw CliException.error("No context '" + Text.printable(name) + "' in " + config.file() + ".");
            }
            config.save();
            out.println("Context deleted: " + name);
            out.flush();
            return ExitCodes.OK;
        }
    }
}
