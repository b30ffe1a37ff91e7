package ai.loopgpt.dr.common.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for the email addresses the suite accepts from the public (status page subscribers),
 * applied by status-service's form and notification-service's API alike, so that an address one
 * accepts is never refused by the other: a plain {@code local@domain.tld} (dot-atom local part,
 * letters-digits-hyphens domain labels, a letter TLD), at most 254 characters, kept in lower case.
 */
public final class EmailAddresses {

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private EmailAddresses() {
    }

    /** The address in its one stored form (trimmed, lower case), or empty if it is not one the suite accepts. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String address = raw.strip();
        int at = address.lastIndexOf('@');
        if (address.length() > 254 || at < 1 || at > 64 || at == address.length() - 1) {
            return Optional.empty();
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!LOCAL.matcher(local).matches() || domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
            return Optional.empty();
        }
        return Optional.of(address.toLowerCase(Locale.ROOT));
    }

    /** An address as a log line may show it: {@code a***@example.com}; anything else unchanged. */
    public static String mask(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        return at < 1 ? address : address.charAt(0) + "***" + address.substring(at);
    }
}
