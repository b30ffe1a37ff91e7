package ai.loopgpt.dr.embedded;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON (RFC 8259) into maps, lists, strings, numbers, booleans and nulls: enough to check and
 * show a Slack post without a JSON library on this module's class path (S3Proxy brings its own
 * Jackson, not ours to lean on). Nesting is bounded.
 */
final class JsonReader {

    private static final int MAX_DEPTH = 64;

    private final String text;
    private int position;

    private JsonReader(String text) {
        this.text = text;
    }

    /** The value in {@code text}; IllegalArgumentException when it is not JSON. */
    static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        Object value = reader.value(0);
        reader.blanks();
        if (reader.position != text.length()) {
            throw reader.error("end of input");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("less nesting");
        }
        blanks();
        if (position >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{' -> {
                position++;
                Map<String, Object> object = new LinkedHashMap<>();
                blanks();
                if (take('}')) {
                    return object;
                }
                do {
                    blanks();
                    if (position >= text.length() || text.charAt(position) != '"') {
                        throw error("a member name");
                    }
                    String name = string();
                    blanks();
                    expect(':');
                    object.put(name, value(depth + 1));
                    blanks();
                } while (take(','));
                expect('}');
                return object;
            }
            case '[' -> {
                position++;
                List<Object> array = new ArrayList<>();
                blanks();
                if (take(']')) {
                    return array;
                }
                do {
                    array.add(value(depth + 1));
                    blanks();
                } while (take(','));
                expect(']');
                return array;
            }
            case '"' -> {
                return string();
            }
            default -> {
                for (String literal : new String[] {"true", "false", "null"}) {
                    if (text.startsWith(literal, position)) {
                        position += literal.length();
                        return literal.equals("null") ? null : Boolean.valueOf(literal);
                    }
                }
                return number();
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("no control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (position >= text.length()) {
                break;
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    } catch (NumberFormatException e) {
                        throw error("four hex digits");
                    }
                    position += 4;
                }
                default -> throw error("a valid escape");
            }
        }
        throw error("the end of the string");
    }

    private BigDecimal number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String number = text.substring(start, position);
        if (!number.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            position = start;
            throw error("a value");
        }
        return new BigDecimal(number);
    }

    private void blanks() {
        while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
    }

    private boolean take(char c) {
        if (position < text.length() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!take(c)) {
            throw error("'" + c + "'");
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("Expected " + expected + " at offset " + position);
    }
}
