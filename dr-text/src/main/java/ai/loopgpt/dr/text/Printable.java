package ai.loopgpt.dr.text;

/**
 * The suite's one rule for writing text that came from outside (what a caller sent, what a peer or a
 * service answered) where it must not act: control characters (C0, DEL and C1: NUL, the ESC of an
 * ANSI sequence, the CR and LF that would forge a line of their own) and the Unicode line and
 * paragraph separators U+2028 and U+2029 are written as Java-style escapes ({@code \\u001b}); every
 * other character is kept as it is.
 *
 * <p>Callers differ on purpose in two options, and only in those:
 * <ul>
 * <li>{@link Kept what whitespace is kept}: a log line keeps tabs ({@link #LOG_LINE}; a tab forges no
 * line and lines up a log message), multi-line text printed on a terminal keeps line breaks and tabs
 * and drops carriage returns ({@link #LINES}; drctl printing a rendered message). A value in a line of
 * its own kind (a problem detail, a stored audit value, a table cell) escapes them all ({@link #ONE_LINE}).
 * <li>{@link #atMost(int) a length limit}, counted after escaping, with "…" added when anything was cut:
 * a value quoted inside a sentence is short (a problem detail quotes at most 120 characters), a
 * stored audit value at most 1,000, a whole problem detail at most 2,000. Log lines and drctl's output
 * are not cut.
 * </ul>
 *
 * <p>Where the former copies of this rule differed by accident, the safer rule holds for every caller:
 * U+2028 and U+2029 are escaped everywhere (not only by drctl), the limit is never passed by a
 * half-written escape or split inside a surrogate pair, and "…" appears only when something was cut.
 */
public final class Printable {

    /** What an escaper keeps as it is instead of escaping. */
    public enum Kept {
        /** Nothing: tabs and line breaks are escaped too. */
        NOTHING,
        /** Tabs. */
        TABS,
        /** Line feeds and tabs; carriage returns are dropped (CRLF becomes LF, a lone CR cannot rewrite a line). */
        LINE_BREAKS_AND_TABS
    }

    /** One line of text: everything escaped, nothing cut. */
    public static final Printable ONE_LINE = new Printable(Kept.NOTHING, Integer.MAX_VALUE);

    /** A log message: tabs kept, nothing cut. */
    public static final Printable LOG_LINE = new Printable(Kept.TABS, Integer.MAX_VALUE);

    /** Multi-line text for a terminal: line feeds and tabs kept, carriage returns dropped, nothing cut. */
    public static final Printable LINES = new Printable(Kept.LINE_BREAKS_AND_TABS, Integer.MAX_VALUE);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Kept kept;
    private final int limit;

    private Printable(Kept kept, int limit) {
        this.kept = kept;
        this.limit = limit;
    }

    /**
     * This rule, cutting its result to at most {@code characters} (UTF-16 units, as {@link String#length()}),
     * then adding "…" when anything was cut.
     */
    public Printable atMost(int characters) {
        if (characters < 1) {
            throw new IllegalArgumentException("a limit of at least one character, not " + characters);
        }
        return new Printable(kept, characters);
    }

    /** {@code text} written by this rule; {@code null} stays {@code null}. */
    public String escape(String text) {
        if (text == null || (text.length() <= limit && isPrintable(text))) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit) + 16);
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            int width = width(c);
            if (width > limit - out.length()) {
                break;
            }
            write(c, out);
            i += Character.charCount(c);
        }
        return i < text.length() ? out.append('…').toString() : out.toString();
    }

    /** Whether this rule leaves every character of {@code text} as it is (its length aside). */
    public boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c) && !keeps(c)) {
                return false;
            }
        }
        return true;
    }

    /** A control character (C0, DEL, C1) or a Unicode line or paragraph separator: what this rule escapes. */
    public static boolean isControl(int codePoint) {
        return Character.isISOControl(codePoint) || codePoint == 0x2028 || codePoint == 0x2029;
    }

    private boolean keeps(int c) {
        return switch (kept) {
            case NOTHING -> false;
            case TABS -> c == '\t';
            case LINE_BREAKS_AND_TABS -> c == '\t' || c == '\n';
        };
    }

    /** How many characters {@code c} takes once written. */
    private int width(int c) {
        if (c == '\r' && kept == Kept.LINE_BREAKS_AND_TABS) {
            return 0;
        }
        return isControl(c) && !keeps(c) ? 6 : Character.charCount(c);
    }

    private void write(int c, StringBuilder out) {
        if (c == '\r' && kept == Kept.LINE_BREAKS_AND_TABS) {
            return;
        }
        if (isControl(c) && !keeps(c)) {
            out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                    .append(HEX[c & 0xf]);
        } else {
            out.appendCodePoint(c);
        }
    }
}
