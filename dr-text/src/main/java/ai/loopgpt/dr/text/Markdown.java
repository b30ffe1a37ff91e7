package ai.loopgpt.dr.text;

/**
 * The suite's Markdown reports (drill report, post-mortem): text a caller wrote, made inert
 * ({@link #cell}), and tables ({@link #table}).
 *
 * <p>A cell is one line, without control characters (C1 included), and every character that could
 * start markup that does something is backslash-escaped (CommonMark lets any ASCII punctuation be
 * escaped): no raw HTML or comments, no links, images or autolinks, no table cells broken by a pipe.
 * It reads as typed. Unlike {@link Printable}, which shows a control character as an escape, a cell
 * drops it: a report is for reading, and the escape would be noise.
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
        String line = text.replaceAll("[\\r\\n\\u2028\\u2029]+", " ").replaceAll("\\p{Cc}", "").strip();
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

    /** A table with these column headings (written as they are: the suite's own words). */
    public static Table table(String... headings) {
        return new Table(headings);
    }

    /**
     * A Markdown table being written: its heading row and rule, then one line per {@link #row}. Cells
     * are written as given: text a caller wrote goes through {@link #cell} first.
     */
    public static final class Table {

        private final int columns;
        private final StringBuilder md = new StringBuilder();

        private Table(String... headings) {
            if (headings.length == 0) {
                throw new IllegalArgumentException("a table has at least one column");
            }
            columns = headings.length;
            line(headings);
            md.append("|---".repeat(columns)).append("|\n");
        }

        /** Adds a row of exactly one cell per column; a cell is written as {@link String#valueOf(Object)}. */
        public Table row(Object... cells) {
            if (cells.length != columns) {
                throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns
                        + " columns");
            }
            line(cells);
            return this;
        }

        private void line(Object[] cells) {
            for (Object cell : cells) {
                md.append("| ").append(cell).append(' ');
            }
            md.append("|\n");
        }

        /** The table so far, each line ending in a line feed. */
        @Override
        public String toString() {
            return md.toString();
        }
    }
}
