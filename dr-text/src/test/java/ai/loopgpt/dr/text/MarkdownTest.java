package ai.loopgpt.dr.text;

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
        assertEquals("ab c", Markdown.cell("a\u009bb\u2028c"));
    }

    @org.junit.jupiter.api.Test
    void aTableIsItsHeadingsItsRuleAndOneLinePerRow() {
        assertEquals("| Action | Owner |\n|---|---|\n| Rotate keys | ops \\| sre |\n| – | 2 |\n",
                Markdown.table("Action", "Owner").row("Rotate keys", Markdown.cell("ops | sre")).row("–", 2).toString());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Markdown.table("A", "B").row("only one"));
    }
}
