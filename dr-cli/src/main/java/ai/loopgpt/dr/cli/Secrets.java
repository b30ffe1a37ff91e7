package ai.loopgpt.dr.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The secrets a command handled (its bearer token, an OIDC client's secret and credentials), so
 * that no message drctl prints can carry one: {@link #redact} takes them out of any text, and
 * anything that reads like an Authorization header's credentials too, whatever a library or a
 * service put in an error message.
 */
public final class Secrets {

    /** "Bearer eyJ…" or "Basic ZHJ…" as an Authorization header or an echo of it carries it. */
    private static final Pattern CREDENTIALS = Pattern.compile("(?i)\\b(Bearer|Basic)(\\s+|%20|\\+)[A-Za-z0-9._~+/=-]{8,}");
    private static final String HIDDEN = "***";

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /** Remembers {@code secret} to take out of messages; returns it. */
    public String add(String secret) {
        if (secret != null && secret.strip().length() >= 4) {
            known.add(secret.strip());
        }
        return secret;
    }

    /** {@code text} without any secret this command handled, nor anything that reads as credentials. */
    public String redact(String text) {
        return redact(text, known);
    }

    /** {@code text} without anything that reads as an Authorization header's credentials. */
    public static String redactCredentials(String text) {
        return redact(text, Set.of());
    }

    private static String redact(String text, Set<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, HIDDEN);
        }
        return CREDENTIALS.matcher(out).replaceAll("$1 " + HIDDEN);
    }
}
