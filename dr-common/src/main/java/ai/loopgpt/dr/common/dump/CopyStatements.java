package ai.loopgpt.dr.common.dump;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code COPY ... FROM stdin;} lines of a plain pg_dump script, and the tables they name. */
public final class CopyStatements {

    /** One identifier as pg_dump writes it: quoted where it must be. */
    public static final String IDENTIFIER = "(?:\"(?:[^\"]|\"\")*\"|[^\\s.\"(]+)";
    /** {@code schema.table} (or a lone name), as pg_dump writes it. */
    public static final String QUALIFIED = "(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")?)";
    private static final Pattern COPY = Pattern.compile("^COPY " + QUALIFIED + "(?: \\(.*\\))? FROM stdin;$");

    private CopyStatements() {
    }

    /** The table a {@code COPY ... FROM stdin;} line loads, as {@code schema.table}; empty for any other line. */
    public static Optional<String> table(String line) {
        if (!line.startsWith("COPY ")) {
            return Optional.empty();
        }
        Matcher m = COPY.matcher(line);
        return m.matches() ? Optional.of(tableKey(m.group(1))) : Optional.empty();
    }

    /**
     * The catalog's name of a table, {@code schema.table} unquoted (as backup manifests name
     * tables), from pg_dump's quoted form.
     */
    public static String tableKey(String qualified) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < qualified.length(); i++) {
            char c = qualified.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < qualified.length() && qualified.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    part.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '.') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return String.join(".", parts);
    }
}
