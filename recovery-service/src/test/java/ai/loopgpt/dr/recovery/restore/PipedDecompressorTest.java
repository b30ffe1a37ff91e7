package ai.loopgpt.dr.recovery.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** igzip (installed by .ci/run) against the JVM's gzip: the same bytes out, its failures said as failures. */
class PipedDecompressorTest {

    private static final List<String> IGZIP = List.of("igzip", "-dc");

    @Test
    void severalGzipMembersComeOutAsTheyWentIn() throws Exception {
        byte[] first = rows(0, 40_000);
        byte[] second = rows(40_000, 80_000);
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        object.write(gzip(first));
        object.write(gzip(second));
        CountingInput compressed = new CountingInput(object.toByteArray());
        AtomicInteger reads = new AtomicInteger();
        byte[] out;
        try (InputStream in = new PipedDecompressor(IGZIP, compressed, reads::incrementAndGet)) {
            out = in.readAllBytes();
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first);
        expected.write(second);
        assertArrayEquals(expected.toByteArray(), out);
        assertEquals(object.size(), compressed.read);
        assertTrue(reads.get() > 0);
    }

    @Test
    void damagedDataFailsWithTheProgramsMessage() throws Exception {
        byte[] object = gzip(rows(0, 40_000));
        for (int i = 200; i < 400; i++) {
            object[i] ^= 0x5a;
        }
        try (InputStream in = new PipedDecompressor(IGZIP, new ByteArrayInputStream(object), () -> { })) {
            IOException e = assertThrows(IOException.class, () -> in.transferTo(OutputStream.nullOutputStream()));
            assertTrue(e.getMessage().startsWith("igzip could not decompress the object (exit "), e.getMessage());
        }
    }

    @Test
    void stoppedItLeavesTheRestOfTheObjectToTheCaller() throws Exception {
        byte[] object = gzip(randomRows(4_000_000));
        CountingInput compressed = new CountingInput(object);
        PipedDecompressor in = new PipedDecompressor(IGZIP, compressed, () -> { });
        in.readNBytes(1000);
        in.stop();
        int before = compressed.read;
        long rest = compressed.transferTo(OutputStream.nullOutputStream());
        assertEquals(object.length, before + rest);
        in.close();
    }

    private static byte[] rows(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(i).append("\tuser").append(i).append("@example.com\t{\"n\": ").append(i).append("}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Rows that do not compress much: the object is larger than the pipes between here and igzip. */
    private static byte[] randomRows(int bytes) {
        byte[] data = new byte[bytes];
        Random random = new Random(7);
        for (int i = 0; i < bytes; i++) {
            data[i] = i % 80 == 79 ? (byte) '\n' : (byte) ('a' + random.nextInt(26));
        }
        return data;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    /** Counts what was read from it (from any thread). */
    private static final class CountingInput extends ByteArrayInputStream {
        volatile int read;

        CountingInput(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }

        /** Through read(), as a stream from S3 is read (ByteArrayInputStream's own would skip the count). */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            long total = 0;
            byte[] buffer = new byte[8192];
            int n;
            while ((n = read(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, n);
                total += n;
            }
            return total;
        }

        @Override
        public synchronized int read() {
            int n = super.read();
            if (n >= 0) {
                read++;
            }
            return n;
        }
    }
}
