package ai.loopgpt.dr.embedded;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stored mail read for display (RFC 5322 and MIME, by hand and no further than a reader needs):
 * its headers, unfolded and with RFC 2047 encoded words decoded, and its first text/plain and
 * text/html parts, decoded from quoted-printable or base64 in their charset. Attachments and
 * nested messages are left out. Anything malformed is shown as it is rather than refused.
 */
public final class ReceivedMail {

    /** One header field as it appears, its value unfolded and decoded. */
    public record Header(String name, String value) {
    }

    private record Entity(List<Header> headers, byte[] body) {
        String header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst()
                    .orElse(null);
        }
    }

    private record ContentType(String type, Map<String, String> parameters) {
    }

    private static final int MAX_DEPTH = 10;
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");

    private final List<Header> headers;
    private String text;
    private String html;

    private ReceivedMail(List<Header> headers) {
        this.headers = headers;
    }

    /** Reads a message as stored by {@link MailSink} (any line ends). */
    public static ReceivedMail parse(byte[] message) {
        Entity entity = entity(message);
        ReceivedMail mail = new ReceivedMail(entity.headers());
        mail.walk(entity, 0);
        return mail;
    }

    public List<Header> headers() {
        return headers;
    }

    /** The first header called {@code name} (any case), or null. */
    public String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst().orElse(null);
    }

    /** The first text/plain part, decoded, with LF line ends. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** The first text/html part, decoded, with LF line ends. */
    public Optional<String> html() {
        return Optional.ofNullable(html);
    }

    private void walk(Entity entity, int depth) {
        String disposition = entity.header("Content-Disposition");
        if (disposition != null && disposition.strip().toLowerCase(Locale.ROOT).startsWith("attachment")) {
            return;
        }
        ContentType type = contentType(entity.header("Content-Type"));
        String boundary = type.parameters().get("boundary");
        if (type.type().startsWith("multipart/") && boundary != null && !boundary.isEmpty()) {
            if (depth < MAX_DEPTH) {
                for (byte[] part : parts(entity.body(), boundary)) {
                    walk(entity(part), depth + 1);
                }
            }
        } else if (type.type().equals("text/plain") && text == null) {
            text = decode(entity, type);
        } else if (type.type().equals("text/html") && html == null) {
            html = decode(entity, type);
        }
    }

    /** Splits headers from body at the first empty line and unfolds the headers. */
    private static Entity entity(byte[] raw) {
        List<Header> headers = new ArrayList<>();
        int position = 0;
        int bodyStart = raw.length;
        StringBuilder current = null;
        while (position < raw.length) {
            int end = indexOf(raw, (byte) '\n', position);
            int next = end < 0 ? raw.length : end + 1;
            int lineEnd = end < 0 ? raw.length : end;
            if (lineEnd > position && raw[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            if (lineEnd == position) {
                bodyStart = next;
                break;
            }
            // Headers are UTF-8 (RFC 6532) or ASCII with encoded words (RFC 2047).
            String line = new String(raw, position, lineEnd - position, StandardCharsets.UTF_8);
            if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
                current.append(line);
            } else {
                add(headers, current);
                current = new StringBuilder(line);
            }
            position = next;
        }
        add(headers, current);
        return new Entity(List.copyOf(headers), Arrays.copyOfRange(raw, Math.min(bodyStart, raw.length), raw.length));
    }

    private static void add(List<Header> headers, StringBuilder field) {
        int colon = field == null ? -1 : field.indexOf(":");
        if (colon > 0) {
            headers.add(new Header(field.substring(0, colon).strip(), decodeWords(field.substring(colon + 1).strip())));
        }
    }

    /** RFC 2047: {@code =?UTF-8?Q?Caf=C3=A9?=}; white space between two encoded words goes. */
    static String decodeWords(String value) {
        Matcher word = ENCODED_WORD.matcher(value);
        StringBuilder out = new StringBuilder();
        int last = 0;
        boolean afterWord = false;
        while (word.find()) {
            String between = value.substring(last, word.start());
            if (!(afterWord && between.isBlank())) {
                out.append(between);
            }
            byte[] bytes = word.group(2).equalsIgnoreCase("B") ? base64(word.group(3).getBytes(StandardCharsets.US_ASCII))
                    : quotedPrintable(word.group(3).replace('_', ' ').getBytes(StandardCharsets.US_ASCII));
            out.append(new String(bytes, charset(word.group(1).split("\\*", 2)[0])));
            last = word.end();
            afterWord = true;
        }
        return out.append(value.substring(last)).toString();
    }

    private static String decode(Entity entity, ContentType type) {
        String encoding = entity.header("Content-Transfer-Encoding");
        encoding = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        byte[] body = switch (encoding) {
            case "base64" -> base64(entity.body());
            case "quoted-printable" -> quotedPrintable(entity.body());
            default -> entity.body();
        };
        return new String(body, charset(type.parameters().get("charset"))).replace("\r\n", "\n");
    }

    private static byte[] base64(byte[] encoded) {
        try {
            return Base64.getMimeDecoder().decode(encoded);
        } catch (IllegalArgumentException malformed) {
            return encoded;
        }
    }

    static byte[] quotedPrintable(byte[] encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length);
        for (int i = 0; i < encoded.length; i++) {
            byte b = encoded[i];
            if (b != '=') {
                out.write(b);
                continue;
            }
            int high = i + 1 < encoded.length ? Character.digit(encoded[i + 1], 16) : -1;
            int low = i + 2 < encoded.length ? Character.digit(encoded[i + 2], 16) : -1;
            if (high >= 0 && low >= 0) {
                out.write(high * 16 + low);
                i += 2;
                continue;
            }
            // A soft line break: '=', maybe trailing blanks, then the line end.
            int j = i + 1;
            while (j < encoded.length && (encoded[j] == ' ' || encoded[j] == '\t')) {
                j++;
            }
            if (j < encoded.length && encoded[j] == '\r') {
                j++;
            }
            if (j < encoded.length && encoded[j] == '\n') {
                i = j;
            } else if (j >= encoded.length) {
                i = j;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static Charset charset(String name) {
        try {
            return name == null || name.isBlank() ? StandardCharsets.UTF_8 : Charset.forName(name.strip());
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /** {@code text/html; charset="utf-8"}: the type in lower case and its parameters (names in lower case). */
    private static ContentType contentType(String value) {
        if (value == null || value.isBlank()) {
            return new ContentType("text/plain", Map.of());
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                field.append(value.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().strip());
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : fields.subList(1, fields.size())) {
            int equals = parameter.indexOf('=');
            if (equals > 0) {
                parameters.putIfAbsent(parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT),
                        parameter.substring(equals + 1).strip());
            }
        }
        return new ContentType(fields.get(0).toLowerCase(Locale.ROOT), parameters);
    }

    /** The body parts between {@code --boundary} lines, up to {@code --boundary--}; preamble and epilogue dropped. */
    private static List<byte[]> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int partStart = -1;
        int position = 0;
        while (position < body.length) {
            int end = indexOf(body, (byte) '\n', position);
            int next = end < 0 ? body.length : end + 1;
            int lineEnd = end < 0 ? body.length : end;
            if (startsWith(body, position, lineEnd, delimiter)) {
                String rest = new String(body, position + delimiter.length, lineEnd - position - delimiter.length,
                        StandardCharsets.ISO_8859_1);
                boolean last = rest.startsWith("--");
                if ((last ? rest.substring(2) : rest).isBlank()) {
                    if (partStart >= 0) {
                        // The line end before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
                        int partEnd = position;
                        if (partEnd > partStart && body[partEnd - 1] == '\n') {
                            partEnd--;
                        }
                        if (partEnd > partStart && body[partEnd - 1] == '\r') {
                            partEnd--;
                        }
                        parts.add(Arrays.copyOfRange(body, partStart, partEnd));
                    }
                    if (last) {
                        return parts;
                    }
                    partStart = next;
                }
            }
            position = next;
        }
        if (partStart >= 0 && partStart < body.length) {
            parts.add(Arrays.copyOfRange(body, partStart, body.length));
        }
        return parts;
    }

    private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
