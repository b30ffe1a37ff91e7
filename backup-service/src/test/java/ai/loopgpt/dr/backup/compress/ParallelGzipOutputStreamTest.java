package ai.loopgpt.dr.backup.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParallelGzipOutputStreamTest {

    /** Text like a SQL dump, compressible, of {@code size} bytes. */
    static byte[] dumpLike(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(size + 200);
        while (sb.length() < size) {
            sb.append(random.nextInt(1_000_000)).append('\t').append("user").append(random.nextInt(5000))
                    .append("@example.com\t{\"kcal\": ").append(random.nextInt(900)).append("}\n");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0} bytes, level {1}, {2} threads, blocks of {3}")
    @CsvSource({"0, 6, 2, 1048576", "1, 1, 1, 1048576", "1048576, 3, 2, 1048576", "3500001, 1, 4, 65536",
            "2000000, 9, 2, 300000"})
    void roundTripsThroughJavasGzipReader(int size, int level, int threads, int block) throws Exception {
        byte[] input = dumpLike(size, size);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(compressed, level, threads, block)) {
            // Uneven writes, as a pipe delivers them.
            int at = 0;
            Random random = new Random(7);
            while (at < input.length) {
                int n = Math.min(input.length - at, 1 + random.nextInt(200_000));
                gzip.write(input, at, n);
                at += n;
            }
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray()))) {
            assertArrayEquals(input, in.readAllBytes());
        }
    }

    @ParameterizedTest(name = "gunzip reads {0} bytes")
    @CsvSource({"5000000"})
    void theStandardGunzipReadsItAsOneFile(int size) throws Exception {
        byte[] input = dumpLike(size, 42);
        Path file = Files.createTempFile("parallel", ".gz");
        try (var out = Files.newOutputStream(file); var gzip = new ParallelGzipOutputStream(out, 6, 2)) {
            gzip.write(input);
        }
        Process gunzip = new ProcessBuilder("gunzip", "-c", file.toString()).start();
        byte[] output = gunzip.getInputStream().readAllBytes();
        assertEquals(0, gunzip.waitFor());
        assertArrayEquals(input, output);
        Process test = new ProcessBuilder("gzip", "-t", file.toString()).start();
        assertEquals(0, test.waitFor(), "gzip -t finds the file sound");
    }
}
