package ai.loopgpt.dr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Objects;
import java.util.regex.Pattern;

/** A few readable assertions over what drctl printed (JUnit's, with the text shown when one fails). */
final class Check {

    private Check() {
    }

    static Value assertThat(Object actual) {
        return new Value(actual, null);
    }

    /** A checked value and what it is, for the failure message. */
    static final class Value {
        private final Object actual;
        private final String description;

        Value(Object actual, String description) {
            this.actual = actual;
            this.description = description;
        }

        Value as(String format, Object... args) {
            return new Value(actual, args.length == 0 ? format : String.format(format, args));
        }

        private String message(String expectation) {
            return (description == null ? "" : description + "\n") + "expected " + expectation + " in/of:\n" + actual;
        }

        Value isEqualTo(Object expected) {
            assertEquals(expected, actual, () -> message("equal to " + expected));
            return this;
        }

        Value isZero() {
            return isEqualTo(0);
        }

        Value isTrue() {
            return isEqualTo(true);
        }

        Value isNotNull() {
            assertNotNull(actual, () -> message("a value"));
            return this;
        }

        Value contains(String part) {
            assertTrue(text().contains(part), () -> message("'" + part + "'"));
            return this;
        }

        Value doesNotContain(String part) {
            assertTrue(!text().contains(part), () -> message("no '" + part + "'"));
            return this;
        }

        Value containsPattern(String regex) {
            assertTrue(Pattern.compile(regex).matcher(text()).find(), () -> message("a match of /" + regex + "/"));
            return this;
        }

        Value startsWith(String prefix) {
            assertTrue(text().startsWith(prefix), () -> message("a start with '" + prefix + "'"));
            return this;
        }

        @SuppressWarnings("unchecked")
        Value isLessThan(Comparable<?> bound) {
            assertTrue(((Comparable<Object>) actual).compareTo(bound) < 0, () -> message("less than " + bound));
            return this;
        }

        private String text() {
            return Objects.toString(actual);
        }
    }
}
