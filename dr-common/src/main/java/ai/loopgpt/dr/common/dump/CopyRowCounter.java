package ai.loopgpt.dr.common.dump;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts the rows of every table in a plain pg_dump script as it streams past: a row of COPY's
 * text format is one line, and a block ends with a line {@code \.}. A {@code COPY} line counts
 * only outside strings and function bodies ({@link SqlLexer}), so text that merely looks like one
 * changes nothing. What a backup's manifest records, without scanning the tables a second time.
 */
public final class CopyRowCounter {

    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final SqlLexer lexer = new SqlLexer();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private String table;
    private long count;
    /** Bytes seen of the current row line (4: more than 3), and its first three (to spot the end line). */
    private int rowLength;
    private byte first;
    private byte second;
    private byte third;

    /** Scans the next bytes of the script. */
    public void update(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int newline = LineBreakScanner.indexOfNewline(bytes, i, end);
            int stop = newline < 0 ? end : newline;
            if (table == null) {
                line.write(bytes, i, stop - i);
                if (newline < 0) {
                    return;
                }
                sqlLine(line.toString(StandardCharsets.UTF_8));
                line.reset();
                i = newline + 1;
                continue;
            }
            int n = stop - i;
            for (int k = 0; k < n && rowLength + k < 3; k++) {
                switch (rowLength + k) {
                    case 0 -> first = bytes[i + k];
                    case 1 -> second = bytes[i + k];
                    default -> third = bytes[i + k];
                }
            }
            rowLength = Math.min(4, rowLength + n); // 4: longer than an end line can be
            if (newline < 0) {
                return;
            }
            boolean endLine = first == '\\' && second == '.' && (rowLength == 2 || rowLength == 3 && third == '\r');
            i = newline + 1;
            rowLength = 0;
            if (endLine) {
                rows.merge(table, count, Long::sum);
                table = null;
            } else {
                count++;
            }
        }
    }

    private void sqlLine(String text) {
        String sql = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        if (lexer.atTopLevel()) {
            Optional<String> copied = CopyStatements.table(sql);
            if (copied.isPresent()) {
                table = copied.get();
                count = 0;
                rowLength = 0;
                return;
            }
        }
        lexer.scan(sql);
    }

    /** Rows per table ({@code schema.table}) of the COPY blocks ended so far. */
    public Map<String, Long> rows() {
        return Collections.unmodifiableMap(rows);
    }

    /** True if the script ended inside a block of rows (it was cut short). */
    public boolean insideRows() {
        return table != null;
    }
}
