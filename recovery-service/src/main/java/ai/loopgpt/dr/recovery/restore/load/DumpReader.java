package ai.loopgpt.dr.recovery.restore.load;

import ai.loopgpt.dr.common.dump.LineBreakScanner;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a plain pg_dump script: SQL a line at a time, and the rows of a COPY block in blocks of
 * whole lines without looking at them one by one more than it must (a row of COPY's text format
 * is one line: newlines inside values are written as {@code \n}).
 */
final class DumpReader {

    private final InputStream in;
    private byte[] buffer = new byte[1 << 20];
    private int position;
    private int limit;
    private boolean ended;

    DumpReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its line break, or null at the end of the script. */
    String readLine() throws IOException {
        int start = position;
        while (true) {
            int i = LineBreakScanner.indexOfNewline(buffer, start, limit);
            if (i >= 0) {
                int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                String line = new String(buffer, position, end - position, StandardCharsets.UTF_8);
                position = i + 1;
                return line;
            }
            int scanned = limit - position;
            if (!fill()) {
                if (position == limit) {
                    return null;
                }
                String last = new String(buffer, position, limit - position, StandardCharsets.UTF_8);
                position = limit;
                return last;
            }
            start = position + scanned;
        }
    }

    /**
     * Moves whole rows of the current COPY block into {@code block} until it holds at least
     * {@code size} bytes or the block's end line ({@code \.}) is reached.
     *
     * @return true once the end line was read (it is not copied)
     */
    boolean readRows(RowBlock block, int size) throws IOException {
        int runStart = position;
        int lineStart = position;
        int i = position;
        while (true) {
            if (i == limit) {
                block.append(buffer, runStart, lineStart - runStart);
                position = lineStart;
                if (!fill()) {
                    throw new EOFException("The dump ends inside the rows of " + block.table
                            + " (no \\. line): it is truncated.");
                }
                // fill() moved the unread part of the line to the front of the buffer: scan it again.
                runStart = position;
                lineStart = position;
                i = position;
                continue;
            }
            int newline = LineBreakScanner.indexOfNewline(buffer, i, limit);
            if (newline < 0) {
                i = limit;
                continue;
            }
            int length = newline - lineStart;
            if ((length == 2 || length == 3 && buffer[lineStart + 2] == '\r')
                    && buffer[lineStart] == '\\' && buffer[lineStart + 1] == '.') {
                block.append(buffer, runStart, lineStart - runStart);
                position = newline + 1;
                return true;
            }
            block.rows++;
            lineStart = newline + 1;
            if (block.size + (lineStart - runStart) >= size) {
                block.append(buffer, runStart, lineStart - runStart);
                position = lineStart;
                return false;
            }
            i = lineStart;
        }
    }

    /** Reads more input behind what is still unread; false at the end of the input. */
    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            // One line longer than the buffer (a large value): make room for it.
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            ended = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** Whole rows of one table, on their way to one session. */
    static final class RowBlock {
        final String table;
        final String copyCommand;
        byte[] bytes;
        int size;
        long rows;

        RowBlock(String table, String copyCommand, int capacity) {
            this.table = table;
            this.copyCommand = copyCommand;
            this.bytes = new byte[capacity];
        }

        void append(byte[] source, int offset, int length) {
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }
    }
}
