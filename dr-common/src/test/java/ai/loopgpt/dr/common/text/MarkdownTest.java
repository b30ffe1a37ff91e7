package ai.loopgpt.dr.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkdownTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '⇒', quoteCharacter = '"', value = {
            "<script>alert(1)</script> ⇒ \\<script\\>alert\\(1\\)\\</script\\>",
            "<img src=x onerror=alert(1)> ⇒ \\<img src=x onerror=alert\\(1\\)\\>",
            "[x](javascript:alert(1)) ⇒ \\[x\\]\\(javascript:alert\\(1\\)\\)",
            "![i](http://x/a.png) ⇒ \\!\\[i\\]\\(http://x/a.png\\)",
            "<!-- unclosed ⇒ \\<\\!-- unclosed",
            "a | b ⇒ a \\| b",
            "Orders DB failed over; RTO 2.5 h ⇒ Orders DB failed over; RTO 2.5 h",
            "&lt;b&gt; ⇒ \\&lt;b\\&gt;"})
    void callerTextIsInert(String in, String out) {
        assertEquals(out.strip(), Markdown.cell(in.strip()));
    }

    @ParameterizedTest
    @CsvSource(value = {"''", "'  '"})
    void nothingIsADash(String in) {
        assertEquals("–", Markdown.cell(in));
    }

    @org.junit.jupiter.api.Test
    void oneLineWithoutControlCharacters() {
        assertEquals("a b c", Markdown.cell("a\r\nb\u0007\nc"));
        assertEquals("–", Markdown.cell(null));
    }
}
