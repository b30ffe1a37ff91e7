package ai.loopgpt.dr.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Sha256InputStreamTest {

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void hashesAndCountsWhatIsReadByteByByteOrInBlocks() throws Exception {
        List<Long> progress = new ArrayList<>();
        try (Sha256InputStream in = new Sha256InputStream(new ByteArrayInputStream(ABC), progress::add)) {
            assertEquals('a', in.read());
            assertEquals(2, in.read(new byte[8], 0, 8));
            assertEquals(-1, in.read());
            // SHA-256("abc"), FIPS 180-2's example.
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", in.sha256());
            assertEquals(3, in.count());
            assertEquals(List.of(1L, 3L), progress);
        }
    }

    @Test
    void theHashSoFarLetsReadingGoOnAndDrainCoversTheRest() throws Exception {
        try (Sha256InputStream in = new Sha256InputStream(new ByteArrayInputStream(ABC))) {
            assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", in.sha256());
            in.read();
            in.drain();
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", in.sha256());
            assertEquals(3, in.count());
        }
    }
}
