package ai.loopgpt.dr.common.text;

import java.util.regex.Pattern;

/** Email addresses kept out of what the suite shows about messages (delivery errors, self-checks). */
public final class Addresses {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+");

    private Addresses() {
    }

    /** {@code text} with every email address replaced by {@code <address>}, and control characters by spaces. */
    public static String hidden(String text) {
        return text == null ? null : ADDRESS.matcher(text).replaceAll("<address>").replaceAll("\\p{Cntrl}", " ");
    }
}
