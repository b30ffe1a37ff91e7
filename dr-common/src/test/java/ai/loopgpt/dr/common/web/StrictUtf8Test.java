package ai.loopgpt.dr.common.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.common.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StrictUtf8Test {

    private static byte[] read(byte[] body) throws IOException {
        try (InputStream in = new StrictUtf8.Checked(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void wellFormedUtf8PassesUnchanged() throws IOException {
        byte[] body = "{\"title\":\"Base de données en panne ⚠ 🚨\"}".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(body, read(body));
        assertArrayEquals(hex("f48fbfbf"), read(hex("f48fbfbf")), "U+10FFFF, the last code point");
    }

    @Test
    void everyMalformedFormIsRefusedWithItsOffset() {
        // "/" overlong in two and three bytes, a surrogate, past U+10FFFF, a lone continuation byte,
        // an impossible byte, and a sequence cut by the end of the body.
        for (String bad : new String[] {"c0af", "e080af", "eda080", "f4908080", "80", "ff", "e282"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> read(hex("7b22" + bad)), bad);
            assertEquals(400, e.type().status(), bad);
            assertTrue(e.getMessage().contains("not valid UTF-8 (at byte "), e.getMessage());
        }
    }
}
