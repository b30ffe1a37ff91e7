package ai.loopgpt.dr.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {

    @ParameterizedTest
    @CsvSource({
            "/api/v1/suppressions/jane.doe+news@example.com, /api/v1/suppressions/j***@example.com",
            "/api/v1/suppressions/jane%40example.com, /api/v1/suppressions/j***@example.com",
            "/api/v1/backups/1d2c/pin, /api/v1/backups/1d2c/pin"})
    void addressesInTargetsKeepOnlyTheirFirstLetterAndDomain(String target, String stored) {
        assertEquals(stored, Addresses.masked(target));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "550 5.1.1 <jane@example.com>: no such user | 550 5.1.1 <<address>>: no such user",
            "HTTP 404 no_service | HTTP 404 no_service"})
    void addressesInErrorsAreHidden(String error, String shown) {
        assertEquals(shown, Addresses.hidden(error));
    }
}
