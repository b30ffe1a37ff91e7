package ai.loopgpt.dr.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @ParameterizedTest
    @CsvSource({"alice@example.com, alice@example.com", "'  Alice@Example.COM ', alice@example.com",
            "first.last+tag@sub.example.co.uk, first.last+tag@sub.example.co.uk", "o'neil@example.ie, o'neil@example.ie"})
    void acceptedAddressesAreKeptInOneForm(String raw, String stored) {
        assertEquals(Optional.of(stored), EmailAddresses.normalize(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not an address", "a@b", "@example.com", "alice@", "al ice@example.com",
            "alice@@example.com", "a..b@example.com", ".a@example.com", "a.@example.com", "<a>@example.com",
            "\"quoted\"@example.com", "alice@-example.com", "alice@example.c0m", "alice@exa_mple.com",
            "alice\u0000@example.com", "alice@example.com\r\nBcc: x@example.com"})
    void everythingElseIsRefused(String raw) {
        assertEquals(Optional.empty(), EmailAddresses.normalize(raw));
    }
}
