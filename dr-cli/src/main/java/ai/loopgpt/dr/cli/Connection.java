package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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
 *     (or {@code _CLIENT_SECRET_FILE}), else the context's {@code token-file} or {@code oidc}.
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
        return new Connection(name, urls, origins, tokenSource(context, env, config.file(), secrets), secrets);
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

    private static void checkUrl(String url, String refusal) {
        if (!isHttpUrl(url)) {
            throw CliException.error(refusal + " (http://host:port or https://host, optionally with a path).");
        }
    }

    private static TokenSource tokenSource(ObjectNode context, Function<String, String> env, Path configFile,
            Secrets secrets) {
        String direct = env.apply("DRCTL_TOKEN");
        if (direct != null && !direct.isBlank()) {
            return fixed(direct, "DRCTL_TOKEN", "the DRCTL_TOKEN environment variable", secrets);
        }
        String file = env.apply("DRCTL_TOKEN_FILE");
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file), "DRCTL_TOKEN_FILE", secrets);
        }
        String issuer = env.apply("DRCTL_OIDC_ISSUER");
        if (issuer != null && !issuer.isBlank()) {
            return new ClientCredentials(issuer(issuer, "DRCTL_OIDC_ISSUER"),
                    required(env.apply("DRCTL_OIDC_CLIENT_ID"), "DRCTL_OIDC_CLIENT_ID"),
                    secret(env.apply("DRCTL_OIDC_CLIENT_SECRET"), env.apply("DRCTL_OIDC_CLIENT_SECRET_FILE"),
                            "DRCTL_OIDC_CLIENT_SECRET or DRCTL_OIDC_CLIENT_SECRET_FILE", secrets),
                    env.apply("DRCTL_OIDC_SCOPE"), secrets);
        }
        if (context != null && context.hasNonNull("token-file")) {
            return fromFile(Path.of(context.get("token-file").asText()), "the context's token-file", secrets);
        }
        if (context != null && context.has("oidc")) {
            JsonNode oidc = context.get("oidc");
            String where = "in " + configFile + ", oidc";
            String envSecret = text(oidc, "client-secret-env");
            return new ClientCredentials(issuer(required(text(oidc, "issuer"), where + ".issuer"), where + ".issuer"),
                    required(text(oidc, "client-id"), where + ".client-id"),
                    secret(envSecret == null ? null : env.apply(envSecret), text(oidc, "client-secret-file"),
                            where + ".client-secret-file or client-secret-env", secrets),
                    text(oidc, "scope"), secrets);
        }
        return new TokenSource() {
            @Override
            public String token(Duration timeout) {
                return null;
            }

            @Override
            public String describe() {
                return "none (set DRCTL_TOKEN or DRCTL_TOKEN_FILE, or a context's token-file or oidc)";
            }
        };
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

    /**
     * The bearer token {@code raw} holds, surrounding whitespace and line breaks taken off; refused
     * (exit 1) when it cannot be the token alone: more than one line, "Bearer " before it, a space,
     * a control character or a character an HTTP header cannot carry inside. The message says what
     * is wrong and where ({@code where}: "DRCTL_TOKEN", "the token file …"), never what it holds.
     */
    static String checkedToken(String raw, String where) {
        String token = raw.strip();
        if (token.isEmpty()) {
            throw CliException.error(capitalized(where) + " is empty.");
        }
        long lines = token.lines().filter(line -> !line.isBlank()).count();
        if (lines > 1) {
            throw CliException.error(capitalized(where) + " has " + lines + " lines; it must hold the token alone.");
        }
        if (token.regionMatches(true, 0, "Bearer", 0, 6) && token.length() > 6 && Character.isWhitespace(token.charAt(6))) {
            throw CliException.error(capitalized(where) + " starts with 'Bearer '; it must hold the token alone, "
                    + "without the scheme.");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String wrong = Character.isWhitespace(c) || Character.isSpaceChar(c) ? "a space"
                    : c < 0x20 || c == 0x7f ? "a control character"
                    : c > 0x7e ? "a character that is not ASCII" : null;
            if (wrong != null) {
                throw CliException.error(capitalized(where) + " holds " + wrong + " (character " + (i + 1) + " of "
                        + token.length() + "); it must hold the token alone.");
            }
        }
        return token;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static TokenSource fixed(String raw, String where, String description, Secrets secrets) {
        return new TokenSource() {
            @Override
            public String token(Duration timeout) {
                return secrets.add(checkedToken(raw, where));
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    private static TokenSource fromFile(Path file, String origin, Secrets secrets) {
        return new TokenSource() {
            @Override
            public String token(Duration timeout) {
                String content;
                try {
                    if (Files.size(file) > MAX_TOKEN_FILE) {
                        throw CliException.error("The token file " + file + " (" + origin + ") is larger than "
                                + Text.bytes(MAX_TOKEN_FILE) + "; it must hold the token alone.");
                    }
                    content = Files.readString(file);
                } catch (IOException e) {
                    throw CliException.error("Cannot read the token file " + file + " (" + origin + "): "
                            + Text.printable(ioReason(e)));
                }
                return secrets.add(checkedToken(content, "the token file " + file + " (" + origin + ")"));
            }

            @Override
            public String describe() {
                return "the file " + file + " (" + origin + ")";
            }
        };
    }

    /** A token file is a few KiB at most; anything larger is not one (and is not read). */
    private static final long MAX_TOKEN_FILE = 64 * 1024;

    /** Why a file could not be read, in a few words and without an exception's class name. */
    static String ioReason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "I/O error" : message;
    }

    /** An OIDC issuer's URL, where drctl sends the client's secret: an http(s) URL. */
    private static String issuer(String url, String where) {
        checkUrl(url.strip(), where + " must be an http(s) URL");
        return url.strip();
    }

    private static Secret secret(String value, String file, String what, Secrets secrets) {
        if (value != null && !value.isBlank()) {
            return () -> secrets.add(value.strip());
        }
        if (file != null && !file.isBlank()) {
            return () -> {
                try {
                    return secrets.add(Files.readString(Path.of(file)).strip());
                } catch (IOException e) {
                    throw CliException.error("Cannot read the OIDC client secret file " + file + ": "
                            + Text.printable(ioReason(e)));
                }
            };
        }
        throw CliException.error("The OIDC client secret is missing: set " + what + ".");
    }

    /** A secret read only when a token is needed. */
    private interface Secret {
        String value();
    }

    /** A service account's token from the issuer's token endpoint (OAuth 2.0 client credentials grant). */
    private static final class ClientCredentials implements TokenSource {
        private final String issuer;
        private final String clientId;
        private final Secret secret;
        private final String scope;
        private final Secrets secrets;
        private String cached;

        ClientCredentials(String issuer, String clientId, Secret secret, String scope, Secrets secrets) {
            this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            this.clientId = clientId;
            this.secret = secret;
            this.scope = scope;
            this.secrets = secrets;
        }

        @Override
        public synchronized String token(Duration timeout) {
            if (cached != null) {
                return cached;
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            try {
                JsonNode discovery = Json.MAPPER.readTree(send(http, HttpRequest.newBuilder(
                        URI.create(issuer + "/.well-known/openid-configuration")).timeout(timeout).GET().build(),
                        "its discovery document"));
                String endpoint = discovery.path("token_endpoint").isTextual() ? discovery.get("token_endpoint").asText()
                        : null;
                if (endpoint == null) {
                    throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer
                            + " has no token_endpoint in its discovery document.");
                }
                // The client's secret goes there: an http(s) URL, and https when the issuer is.
                if (!isHttpUrl(endpoint) || issuer.regionMatches(true, 0, "https:", 0, 6)
                        && !endpoint.regionMatches(true, 0, "https:", 0, 6)) {
                    throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer + "'s token_endpoint is not "
                            + (issuer.regionMatches(true, 0, "https:", 0, 6) ? "an https" : "an http(s)")
                            + " URL; drctl does not send the client's secret there.");
                }
                String form = "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + encode(scope));
                String basic = secrets.add(Base64.getEncoder().encodeToString((encode(clientId) + ":"
                        + encode(secret.value())).getBytes(StandardCharsets.UTF_8)));
                JsonNode answer = Json.MAPPER.readTree(send(http, HttpRequest.newBuilder(URI.create(endpoint))
                        .timeout(timeout)
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), "a token"));
                String token = answer.path("access_token").isTextual() ? answer.get("access_token").asText() : null;
                if (token == null) {
                    throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer + " answered without an access_token.");
                }
                cached = secrets.add(checkedToken(token, "the access_token from the OIDC issuer " + issuer));
                return cached;
            } catch (IOException e) {
                boolean badAnswer = BoundedBody.tooLarge(e) || e instanceof com.fasterxml.jackson.core.JacksonException;
                String why = BoundedBody.tooLarge(e) ? "its answer is larger than " + BoundedBody.describe(BoundedBody.LIMIT)
                        : badAnswer ? "its answer is not JSON" : Api.unreachableReason(e, timeout, secrets::redact);
                throw new CliException(badAnswer ? ExitCodes.ERROR : ExitCodes.UNREACHABLE,
                        "Cannot get a token from the OIDC issuer " + issuer + ": " + why + ".");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.error("Interrupted while getting a token.");
            }
        }

        private String send(HttpClient http, HttpRequest request, String what) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request, BoundedBody.handler(BoundedBody.LIMIT));
            if (response.statusCode() / 100 != 2) {
                // The error of a token endpoint (RFC 6749 5.2) says what was wrong; the secret is not in it.
                JsonNode error = null;
                try {
                    error = Json.MAPPER.readTree(response.body());
                } catch (IOException notJson) {
                    // Said without it.
                }
                String said = error == null ? "" : ": " + Text.printable(error.path("error").asText("")
                        + (error.hasNonNull("error_description") ? " (" + error.get("error_description").asText() + ")" : ""));
                throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer + " refused " + what
                        + " for client '" + Text.printable(clientId) + "' (HTTP " + response.statusCode() + ")" + said + ".");
            }
            return response.body();
        }

        @Override
        public String describe() {
            return "OIDC client credentials of '" + clientId + "' at " + issuer;
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw CliException.error("Missing " + what + ".");
        }
        return value.strip();
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node == null ? null : node.get(key);
        return value == null || value.isNull() ? null : value.asText();
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
