package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.ComponentStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Status badges for READMEs, wikis and dashboards: the page's overall status ({@code /badge.svg})
 * and each public component's ({@code /components/<id>/badge.svg}), two-part SVG images in the
 * shields.io style, server-rendered with each snapshot, no script, a text alternative in
 * {@code <title>} and {@code aria-label}.
 */
final class Badges {

    private static final int CHAR_WIDTH = 7;
    private static final int PADDING = 10;

    private Badges() {
    }

    /** Every badge of a snapshot, by its path. */
    static Map<String, String> all(String indicator, String description, List<Component> shown) {
        Map<String, String> badges = new LinkedHashMap<>();
        badges.put("/badge.svg", svg("status", description, color(indicator)));
        for (Component c : shown) {
            badges.put("/components/" + c.id + "/badge.svg", svg(c.name, PageRenderer.label(c.status), color(c.status)));
        }
        return badges;
    }

    static String color(String indicator) {
        return switch (indicator) {
            case "none" -> "#2e7d32";
            case "minor" -> "#b58900";
            case "major" -> "#e65100";
            case "critical" -> "#c62828";
            default -> "#1565c0"; // maintenance
        };
    }

    static String color(ComponentStatus status) {
        return switch (status) {
            case OPERATIONAL -> "#2e7d32";
            case DEGRADED_PERFORMANCE -> "#b58900";
            case PARTIAL_OUTAGE -> "#e65100";
            case MAJOR_OUTAGE -> "#c62828";
            case UNDER_MAINTENANCE -> "#1565c0";
        };
    }

    /** A two-part badge: {@code label} on grey, {@code message} on {@code color}; text fitted by textLength. */
    static String svg(String label, String message, String color) {
        int left = label.length() * CHAR_WIDTH + PADDING;
        int right = message.length() * CHAR_WIDTH + PADDING;
        int width = left + right;
        String text = Svg.text(label + ": " + message);
        return String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="20" role="img" aria-label="%2$s">\
                <title>%2$s</title>\
                <rect width="%3$d" height="20" fill="#555"/><rect x="%3$d" width="%4$d" height="20" fill="%5$s"/>\
                <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">\
                <text x="%6$d" y="14" textLength="%7$d" lengthAdjust="spacingAndGlyphs">%8$s</text>\
                <text x="%9$d" y="14" textLength="%10$d" lengthAdjust="spacingAndGlyphs">%11$s</text></g></svg>
                """, width, text, left, right, color, left / 2, left - PADDING, Svg.text(label), left + right / 2,
                right - PADDING, Svg.text(message)).strip();
    }
}
