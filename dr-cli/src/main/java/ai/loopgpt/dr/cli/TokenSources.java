package ai.loopgpt.dr.cli;

import ai.loopgpt.dr.cli.Connection.TokenSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Where drctl's bearer token comes from, in this order: {@code DRCTL_TOKEN}, the file
 * {@code DRCTL_TOKEN_FILE}, an OIDC client-credentials grant from {@code DRCTL_OIDC_*}, the context's
 * {@code token-file} or {@code oidc}; and the check that what was found can be the token alone.
 */
final class TokenSources {

    private TokenSources() {
    }

    /** The token source the environment, else the context, names; one that sends no token if none does. */
    static TokenSource of(ObjectNode context, Function<String, String> env, Path configFile, Secrets secrets) {
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
                            + Text.printable(Text.ioReason(e)));
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

    /** An OIDC issuer's URL, where drctl sends the client's secret: an http(s) URL. */
    private static String issuer(String url, String where) {
        Connection.checkUrl(url.strip(), where + " must be an http(s) URL");
        return url.strip();
    }

    private static ClientCredentials.Secret secret(String value, String file, String what, Secrets secrets) {
        if (value != null && !value.isBlank()) {
            return () -> secrets.add(value.strip());
        }
        if (file != null && !file.isBlank()) {
            return () -> {
                try {
                    return secrets.add(Files.readString(Path.of(file)).strip());
                } catch (IOException e) {
                    throw CliException.error("Cannot read the OIDC client secret file " + file + ": "
                            + Text.printable(Text.ioReason(e)));
                }
            };
        }
        throw CliException.error("The OIDC client secret is missing: set " + what + ".");
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
}
