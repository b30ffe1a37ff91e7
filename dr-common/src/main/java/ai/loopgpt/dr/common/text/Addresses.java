package ai.loopgpt.dr.common.text;

import java.util.regex.Pattern;

/** Email addresses kept out of what the suite shows about messages (delivery errors, self-checks). */
public final class Addresses {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+");
    /** An address in a path: its @ may be percent-encoded. */
    private static final Pattern IN_PATH = Pattern.compile("([A-Za-z0-9])[A-Za-z0-9._%+-]*(@|%40)([A-Za-z0-9.-]+)");

    private Addresses() {
    }

    /**
     * {@code text} with each email address (its @ perhaps percent-encoded) kept as its first letter and
     * domain: what the audit log keeps of a path that names a suppression or a subscriber.
     */
    public static String masked(String text) {
        return text == null ? null : IN_PATH.matcher(text).replaceAll("$1***@$3");
    }

    /** {@code text} with every email address replaced by {@code <address>}, and control characters by spaces. */
    public static String hidden(String text) {
        return text == null ? null : ADDRESS.matcher(text).replaceAll("<address>").replaceAll("\\p{Cntrl}", " ");
    }
}
