package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.text.Printable;

/** The one rule for text written into the page's SVG images (badges, response-time charts). */
final class Svg {

    private Svg() {
    }

    /**
     * {@code value} as XML character data or an attribute value: control characters (which XML 1.0
     * cannot carry) escaped by the suite's rule ({@link Printable#ONE_LINE}), then {@code & < > "}.
     */
    static String text(String value) {
        return Printable.ONE_LINE.escape(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
