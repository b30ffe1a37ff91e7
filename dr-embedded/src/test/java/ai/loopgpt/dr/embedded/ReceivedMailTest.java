package ai.loopgpt.dr.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceivedMailTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "LoopGPT Service Issue - 2026-12-06                 | LoopGPT Service Issue - 2026-12-06",
        "=?UTF-8?Q?Caf=C3=A9_ferm=C3=A9?=                   | Café fermé",
        "=?utf-8?B?Q2Fmw6k=?= =?utf-8?B?IGZlcm3DqQ==?=      | Café fermé",
        "Re: =?ISO-8859-1?Q?caf=E9?= again                  | Re: café again",
        "=?x-unknown?Q?plain?=                              | plain",
        "=?UTF-8?Q?broken                                   | =?UTF-8?Q?broken",
    })
    void encodedWordsAreDecoded(String header, String shown) {
        assertEquals(shown, ReceivedMail.decodeWords(header));
    }

    @Test
    void nestedPartsCharsetsAndAttachments() {
        String message = String.join("\r\n",
                "Subject: nested",
                "Content-Type: multipart/mixed; boundary=outer",
                "",
                "preamble, not shown",
                "--outer",
                "Content-Type: multipart/alternative; boundary=\"inner; with a semicolon\"",
                "",
                "--inner; with a semicolon",
                "Content-Type: text/plain; charset=iso-8859-1",
                "Content-Transfer-Encoding: 8bit",
                "",
                "caf\u00e9",
                "--inner; with a semicolon",
                "Content-Type: text/html",
                "",
                "<p>html</p>",
                "--inner; with a semicolon--",
                "--outer",
                "Content-Type: text/plain",
                "Content-Disposition: attachment; filename=notes.txt",
                "",
                "an attachment",
                "--outer--",
                "epilogue");
        ReceivedMail mail = ReceivedMail.parse(message.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("nested", mail.header("subject"));
        assertEquals(Optional.of("café"), mail.text());
        assertEquals(Optional.of("<p>html</p>"), mail.html());
    }

    @Test
    void aMessageWithoutMimeIsItsText() {
        ReceivedMail mail = ReceivedMail.parse("To: a@example.com,\r\n  b@example.com\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("a@example.com,  b@example.com", mail.header("To"));
        assertEquals(Optional.of("hello\n"), mail.text());
        assertEquals(Optional.empty(), mail.html());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a=3Db         | a=b",
        "soft=\\r\\nbreak | softbreak",
        "soft=  \\nbreak  | softbreak",
        "a lone = sign | a lone = sign",
        "end=          | end",
    })
    void quotedPrintable(String encoded, String decoded) {
        byte[] bytes = encoded.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(decoded, new String(ReceivedMail.quotedPrintable(bytes), StandardCharsets.UTF_8));
    }
}
