package ai.loopgpt.dr.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.cli.Service;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** doctor's clock check: a service's checkedAt against the midpoint of drctl's request. */
class DoctorClockTest {

    static final Instant SENT = Instant.parse("2026-12-06T07:10:00Z");

    @ParameterizedTest(name = "answered after {0} ms, checkedAt {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            4000 | 2026-12-06T07:10:02Z      | true  | within 0.0 s of this machine's
            4000 | 2026-12-06T07:10:12Z      | true  | within 10.0 s of this machine's
            4000 | 2026-12-06T07:10:12.100Z  | false | 10.1 s ahead of this machine's
            0    | 2026-12-06T07:09:00Z      | false | 60.0 s behind this machine's
            200  | 2026-12-06T07:10:00.123Z  | true  | within 0.0 s of this machine's
            0    | yesterday                 | false | its answer has no checkedAt time (yesterday)
            """)
    void theServicesClockIsComparedAtTheRequestsMidpoint(long roundTripMillis, String checkedAt, boolean ok,
            String detail) {
        DoctorCommand.Line line = DoctorCommand.clock(Service.BACKUP, SENT, SENT.plusMillis(roundTripMillis), checkedAt);
        assertEquals(ok, line.ok());
        assertEquals(detail, line.detail());
        assertEquals("backup-service's clock", line.name());
        assertEquals(ok, line.fix() == null);
    }
}
