package ai.loopgpt.dr.common.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineBreakScannerTest {

    /** Bytes that differ from '\n' by one bit or a borrow: where an eight-byte search would go wrong. */
    private static final byte[] NEAR = {'\n', 0x0B, 0x09, 0x08, 0x00, (byte) 0x8A, (byte) 0xFF, (byte) 0x80, 0x01, '\\', '.', 'a'};

    @Test
    void findsTheFirstNewlineLikeAPlainLoopForEveryRangeAndByte() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            int newlineOdds = 1 + random.nextInt(20);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(newlineOdds) == 0 ? (byte) '\n' : NEAR[1 + random.nextInt(NEAR.length - 1)];
            }
            for (int from = 0; from <= bytes.length; from++) {
                for (int to = from; to <= bytes.length; to++) {
                    assertEquals(plain(bytes, from, to), LineBreakScanner.indexOfNewline(bytes, from, to),
                            () -> "in " + java.util.Arrays.toString(bytes));
                }
            }
        }
    }

    @Test
    void findsANewlineAtEitherEndOfALongRunAndNoneWhenThereIsNone() {
        byte[] bytes = new byte[1000];
        java.util.Arrays.fill(bytes, (byte) 0x0B);
        assertEquals(-1, LineBreakScanner.indexOfNewline(bytes, 0, bytes.length));
        bytes[999] = '\n';
        assertEquals(999, LineBreakScanner.indexOfNewline(bytes, 0, bytes.length));
        assertEquals(-1, LineBreakScanner.indexOfNewline(bytes, 0, 999));
        bytes[3] = '\n';
        assertEquals(3, LineBreakScanner.indexOfNewline(bytes, 0, bytes.length));
        assertEquals(999, LineBreakScanner.indexOfNewline(bytes, 4, bytes.length));
    }

    private static int plain(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
