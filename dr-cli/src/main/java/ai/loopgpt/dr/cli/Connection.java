package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the four services are and which token drctl sends, resolved once per command from the
 * environment (first) and the chosen context:
 *
 * <ul>
 * <li>context: {@code --context}, else {@code DRCTL_CONTEXT}, else the file's current-context;
 * <li>URLs: {@code DRCTL_BACKUP_URL} (…_RECOVERY_, _NOTIFICATION_, _STATUS_), else the context's,
 *     else the local defaults (localhost:8081-8084, what {@code ./run.sh} starts);
 * <li>token: {@code DRCTL_TOKEN}, else the file {@code DRCTL_TOKEN_FILE}, else an OIDC
 *     client-credentials grant from {@code DRCTL_OIDC_ISSUER}/{@code _CLIENT_ID}/{@code _CLIENT_SECRET}
 *     (or {@code _CLIENT_SECRET_FILE}), else the context's {@code token-file} or {@code oidc}
 *     ({@link TokenSources}).
 * </ul>
 */
public final class Connection {

    private final String contextName;
    private final Map<Service, String> urls;
    private final Map<Service, String> urlOrigins;
    private final TokenSource token;
    private final Secrets secrets;

    private Connection(String contextName, Map<Service, String> urls, Map<Service, String> urlOrigins,
            TokenSource token, Secrets secrets) {
        this.contextName = contextName;
        this.urls = urls;
        this.urlOrigins = urlOrigins;
        this.token = token;
        this.secrets = secrets;
    }

    /** Where a bearer token comes from; {@link #describe()} says which, never what. */
    public interface TokenSource {
        /** The token, or null to call without one. */
        String token(Duration timeout);

        String describe();
    }

    public static Connection resolve(String contextFlag) {
        return resolve(contextFlag, System::getenv);
    }

    /** {@link #resolve(String)} in the given environment (the process's, or a test's). */
    public static Connection resolve(String contextFlag, Function<String, String> env) {
        CliConfig config = CliConfig.load(env);
        String name = firstOf(contextFlag, env.apply("DRCTL_CONTEXT"), config.currentContext());
        ObjectNode context = null;
        if (name != null) {
            context = config.context(name);
            if (context == null) {
                throw CliException.error("No context '" + Text.printable(name) + "' in " + config.file()
                        + (config.contextNames().isEmpty() ? " (it has none: ./run.sh writes 'local', drctl context set "
                                + "adds one)" : "; it has " + String.join(", ", config.contextNames().stream().sorted().toList())) + ".");
            }
        }
        Map<Service, String> urls = new EnumMap<>(Service.class);
        Map<Service, String> origins = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            String fromEnv = env.apply(s.environmentVariable());
            JsonNode inContext = context == null ? null : context.get(s.configKey());
            // A map or a number there is no URL either: refused below like any other.
            String fromContext = inContext == null || inContext.isNull() ? null
                    : inContext.isTextual() ? inContext.asText() : inContext.toString();
            String url = firstOf(fromEnv, fromContext, s.defaultUrl()).strip();
            if (fromEnv != null && !fromEnv.isBlank()) {
                origins.put(s, s.environmentVariable());
                checkUrl(url, s.environmentVariable() + " must be an http(s) URL");
            } else if (fromContext != null && !fromContext.isBlank()) {
                origins.put(s, "the context's " + s.configKey());
                checkUrl(url, "context '" + Text.printable(name) + "' in " + config.file() + ": " + s.configKey()
                        + " must be an http(s) URL");
            }
            urls.put(s, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        }
        Secrets secrets = new Secrets();
        return new Connection(name, urls, origins, TokenSources.of(context, env, config.file(), secrets), secrets);
    }

    /**
     * Whether {@code url} is where drctl may send calls and a token: http or https, a host, maybe a
     * port and a path; no user, query or fragment.
     */
    public static boolean isHttpUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null
                    && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                    && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Refuses (exit 1) what {@link #isHttpUrl} refuses, saying {@code refusal} and what a URL looks like. */
    static void checkUrl(String url, String refusal) {
        if (!isHttpUrl(url)) {
            throw CliException.error(refusal + " (http://host:port or https://host, optionally with a path).");
        }
    }

    public String contextName() {
        return contextName;
    }

    public String url(Service service) {
        return urls.get(service);
    }

    /**
     * Where the URL of {@code service} was set: its environment variable or the context's key; null
     * when nothing set it and drctl uses the local default.
     */
    public String urlOrigin(Service service) {
        return urlOrigins.get(service);
    }

    public TokenSource tokenSource() {
        return token;
    }

    /** {@code text} without the token or any other secret this connection handled: for any message drctl prints. */
    public String redact(String text) {
        return secrets.redact(text);
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        for (T v : values) {
            if (v != null && !(v instanceof String s && s.isBlank())) {
                return v;
            }
        }
        return null;
    }
}
