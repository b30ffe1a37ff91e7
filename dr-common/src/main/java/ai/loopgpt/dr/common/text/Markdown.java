package ai.loopgpt.dr.common.text;

/**
 * Text a caller wrote, made inert in the suite's Markdown reports (drill report, post-mortem): one
 * line, no control characters, and every character that could start markup that does something
 * backslash-escaped (CommonMark lets any ASCII punctuation be escaped): no raw HTML or comments, no
 * links, images or autolinks, no table cells broken by a pipe. It reads as typed.
 */
public final class Markdown {

    /** Characters escaped: HTML and autolinks, links and images, tables, code, emphasis, entities. */
    private static final String SPECIAL = "\\`*_[]<>|&~!#{}()";

    private Markdown() {
    }

    /** {@code text} safe in a table cell or a paragraph; "–" for nothing. */
    public static String cell(String text) {
        if (text == null || text.isBlank()) {
            return "–";
        }
        String line = text.replaceAll("[\\r\\n\\u2028\\u2029]+", " ").replaceAll("\\p{Cntrl}", "").strip();
        StringBuilder out = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
