package ai.loopgpt.dr.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrintableTest {

    static Stream<Arguments> rules() {
        Printable oneLine = Printable.ONE_LINE;
        Printable log = Printable.LOG_LINE;
        Printable lines = Printable.LINES;
        return Stream.of(
                // What every rule escapes: C0, DEL, C1, the Unicode line and paragraph separators.
                Arguments.of("one line: NUL", oneLine, "a\u0000b", "a\\u0000b"),
                Arguments.of("one line: ANSI colour", oneLine, "Orders\u001b[31m red", "Orders\\u001b[31m red"),
                Arguments.of("one line: CR LF forge a line", oneLine, "x\r\n2026 INFO fake", "x\\u000d\\u000a2026 INFO fake"),
                Arguments.of("one line: tab", oneLine, "a\tb", "a\\u0009b"),
                Arguments.of("one line: DEL and C1 CSI", oneLine, "\u007f\u009b2J", "\\u007f\\u009b2J"),
                Arguments.of("one line: line separators", oneLine, "a\u2028b\u2029c", "a\\u2028b\\u2029c"),
                Arguments.of("one line: plain text, accents and emoji kept", oneLine, "Zürich 🚨 – ok", "Zürich 🚨 – ok"),
                Arguments.of("one line: a typed backslash-u stays", oneLine, "C:\\u0009", "C:\\u0009"),
                Arguments.of("log line: tab kept", log, "Backup b1 succeeded\tin 3 s", "Backup b1 succeeded\tin 3 s"),
                Arguments.of("log line: line breaks escaped", log, "a\r\nb\u2028", "a\\u000d\\u000ab\\u2028"),
                Arguments.of("log line: ESC escaped", log, "\u001b]0;title\u0007", "\\u001b]0;title\\u0007"),
                Arguments.of("lines: LF and tab kept, CR dropped", lines, "a\r\n\tb\rc", "a\n\tbc"),
                Arguments.of("lines: ESC escaped", lines, "x\u001b[2Jy\n", "x\\u001b[2Jy\n"),
                Arguments.of("lines: separators escaped", lines, "a\u2028b", "a\\u2028b"),
                // Limits count the written text; "…" only when something was cut.
                Arguments.of("limit: short text as it is", oneLine.atMost(5), "abcde", "abcde"),
                Arguments.of("limit: cut", oneLine.atMost(5), "abcdef", "abcde…"),
                Arguments.of("limit: an escape that does not fit is cut whole", oneLine.atMost(5), "ab\u0000c", "ab…"),
                Arguments.of("limit: an escape that fits", oneLine.atMost(8), "ab\u0000", "ab\\u0000"),
                Arguments.of("limit: a surrogate pair is never split", oneLine.atMost(3), "ab🚨", "ab…"),
                Arguments.of("limit: dropped CRs take no room", lines.atMost(2), "a\r\nb", "a\n…"),
                Arguments.of("limit: empty", oneLine.atMost(1), "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void writesWhatCameFromOutsideWithoutLettingItAct(String name, Printable rule, String in, String out) {
        assertEquals(out, rule.escape(in));
    }

    @Test
    void nullStaysNullAndUnchangedTextIsTheSameString() {
        assertNull(Printable.ONE_LINE.escape(null));
        String plain = "nothing to escape";
        assertSame(plain, Printable.ONE_LINE.atMost(100).escape(plain));
    }

    @Test
    void theProblemDetailQuoteIsAtMost120CharactersAndAnEllipsis() {
        String quoted = Printable.ONE_LINE.atMost(120).escape("\u0000".repeat(100));
        assertEquals("\\u0000".repeat(20) + "…", quoted);
        assertEquals("z".repeat(120), Printable.ONE_LINE.atMost(120).escape("z".repeat(120)));
    }

    @Test
    void aLimitIsAtLeastOneCharacter() {
        assertThrows(IllegalArgumentException.class, () -> Printable.ONE_LINE.atMost(0));
    }
}
