package ai.loopgpt.dr.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditLogTest {

    @ParameterizedTest
    @CsvSource({
            "/api/v1/suppressions/jane.doe+news@example.com, /api/v1/suppressions/j***@example.com",
            "/api/v1/suppressions/jane%40example.com, /api/v1/suppressions/j***@example.com",
            "/api/v1/backups/1d2c/pin, /api/v1/backups/1d2c/pin"})
    void addressesInTargetsKeepOnlyTheirFirstLetterAndDomain(String target, String stored) {
        assertEquals(stored, AuditLog.withoutAddresses(target));
    }
}
