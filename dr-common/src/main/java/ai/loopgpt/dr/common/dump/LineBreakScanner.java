package ai.loopgpt.dr.common.dump;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds line breaks eight bytes at a time. Backups and restores of plain dumps look at every byte
 * of the rows only to find where each line ends; a byte-at-a-time loop was the services' own
 * largest cost while the database loaded.
 */
public final class LineBreakScanner {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private LineBreakScanner() {
    }

    /** The index of the first {@code '\n'} in {@code bytes[from, to)}, or -1 if there is none. */
    public static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            // A byte of x is zero where the input has '\n'; the lowest flagged byte is always a
            // true one (a borrow only flags bytes above a zero byte), and little-endian puts the
            // first byte of the input lowest.
            long x = (long) LONGS.get(bytes, i) ^ NEWLINES;
            long zeros = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
