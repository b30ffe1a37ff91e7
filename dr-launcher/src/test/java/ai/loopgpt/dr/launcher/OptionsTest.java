package ai.loopgpt.dr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.ParameterException;

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
        "--sample-users 0                    | --sample-users must be between 1 and 10000000",
        "--start-timeout soon                | --start-timeout takes a number, not 'soon'",
    })
    void wrongPortsAreSaid(String args, String message) {
        ParameterException e = assertThrows(ParameterException.class, () -> Options.parse(args.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--data-dir DIR        | where PostgreSQL, S3, keys and logs live (default .data)",
        "--postgres-port PORT  | embedded PostgreSQL port (default 15432; 0: any free port)",
        "--s3-port PORT        | embedded S3 port (default 19000; 0: any free port)",
        "--smtp-port PORT      | the local mail server the suite sends through (default 11025 + offset; 0: any free port)",
        "--inbox-port PORT     | the local inbox page and Slack webhooks (default 18025 + offset; 0: any free port)",
        "--port-offset N       | add N to the services' ports 8081-8084, management ports 9081-9084",
        "--sample-users N      | size of the sample LoopGPT database on first start (default 1000; ~3 KB a user)",
        "--start-timeout SEC   | how long to wait for each service to be ready (default 180)",
        "--max-restarts N      | restarts of one crashed service within a minute before giving up on it (default 5)",
    })
    void theUsageListsEachOptionWithItsDefault(String option, String help) {
        String usage = Options.usage();
        assertTrue(usage.startsWith("Usage: ./run.sh [options]"), usage);
        assertTrue(usage.lines().anyMatch(l -> l.strip().startsWith(option) && l.contains(help)), usage);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | .data | 15432 | 19000 | 0   | 1000 | 180 | 5",
        "--data-dir /tmp/x --postgres-port 0 --s3-port 0 --port-offset 7 --sample-users 50 --start-timeout 60 --max-restarts 0"
                + " | /tmp/x | 0 | 0 | 7 | 50 | 60 | 0",
    })
    void theDefaultsAreTheHelpsAndEachOptionIsRead(String args, String dataDir, int postgres, int s3, int offset, int users,
            int timeout, int restarts) {
        Options options = Options.parse(args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(options.root().resolve(dataDir), options.dataDir());
        assertEquals(List.of(postgres, s3, offset, users, timeout, restarts), List.of(options.postgresPort(),
                options.s3Port(), options.portOffset(), options.sampleUsers(), options.startTimeoutSeconds(),
                options.maxRestartsPerMinute()));
    }
}
