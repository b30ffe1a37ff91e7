package ai.loopgpt.dr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                        | 11025 | 18025",
        "--port-offset 100                         | 11125 | 18125",
        "--port-offset 100 --smtp-port 0           | 0     | 18125",
        "--inbox-port 0 --smtp-port 2525           | 2525  | 0",
        "--port-offset 50000 --smtp-port 0 --inbox-port 0 | 0 | 0",
    })
    void theInboxPortsFollowTheOffsetUnlessGiven(String args, int smtp, int inbox) {
        Options options = Options.parse(args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(List.of(smtp, inbox), List.of(options.smtpPort(), options.inboxPort()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port-offset 50000                 | 18025 + --port-offset 50000 is above 65535: give --inbox-port",
        "--port-offset 47511 --smtp-port 0   | 18025 + --port-offset 47511 is above 65535: give --inbox-port",
        "--smtp-port 70000                   | --smtp-port must be between 0 and 65535",
        "--inbox-port                        | --inbox-port needs a value",
    })
    void wrongPortsAreSaid(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(args.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"--smtp-port", "--inbox-port"})
    void theUsageListsTheInboxOptions(String option) {
        assertTrue(Options.USAGE.contains(option), Options.USAGE);
    }
}
