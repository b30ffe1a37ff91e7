package ai.loopgpt.dr.cli;

import ai.loopgpt.dr.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How drctl writes values for people, and reads durations and times from them. */
public final class Text {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Text() {
    }

    /**
     * {@code text} with control characters (escape sequences a hostile or broken answer could carry)
     * shown as {@code \\u} and four hex digits (ESC as {@code \\u001b}), so that nothing a service sends
     * can move the cursor or recolour a terminal ({@link Printable#ONE_LINE}); "" for nothing.
     */
    public static String printable(String text) {
        return text == null ? "" : Printable.ONE_LINE.escape(text);
    }

    /**
     * As {@link #printable(String)}, keeping line feeds and tabs and dropping carriage returns: for
     * multi-line text (a rendered message; {@link Printable#LINES}).
     */
    public static String printableLines(String text) {
        return text == null ? "" : Printable.LINES.escape(text);
    }

    /** 1536 → "1.5 KiB". */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** 75 s → "1m15s"; 0.4 s → "0s". */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format("%02d", s % 60) + "s";
        }
        return s / 3600 + "h" + String.format("%02d", s % 3600 / 60) + "m";
    }

    /** An API time ("2026-11-28T08:40:12.123456Z") as "2026-11-28 08:40:12Z"; other text as it is. */
    public static String time(String iso) {
        if (iso == null || iso.isEmpty()) {
            return "";
        }
        try {
            return TIME.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return printable(iso);
        }
    }

    /** "90s", "15m", "2h", "1d", "500ms", or an ISO-8601 duration ("PT15M"). */
    public static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // Reported below.
            }
        } else {
            Matcher m = DURATION.matcher(t);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                end = m.end();
            }
            if (end == t.length() && end > 0) {
                return total;
            }
        }
        throw new IllegalArgumentException("'" + printable(text) + "' is not a duration: use e.g. 90s, 15m, 2h30m or 1d");
    }

    /**
     * A time for the API: an ISO-8601 instant ("2026-11-28T08:00:00Z"), or a duration ago ("2h" =
     * two hours before now); null for an option not given.
     */
    public static Instant parseTime(String text, Instant now) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(parseDuration(text));
            } catch (IllegalArgumentException notADuration) {
                throw new IllegalArgumentException("'" + printable(text) + "' is not a time: use an ISO-8601 instant "
                        + "(2026-11-28T08:00:00Z) or a duration ago (2h, 1d)");
            }
        }
    }

    /** Why a file could not be read, in a few words and without an exception's class name. */
    public static String ioReason(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "I/O error" : message;
    }
}
