package ai.loopgpt.dr.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Command-line options of the launcher ({@code ./run.sh --help}). */
@Command(name = "./run.sh", customSynopsis = "./run.sh [options]", separator = " ", sortOptions = false,
        usageHelpWidth = 120)
final class Options {

    /** The local inbox's ports before --port-offset: SMTP, and HTTP for Slack posts and the inbox page. */
    static final int SMTP_PORT = 11025;
    static final int INBOX_PORT = 18025;

    private final Path root = Path.of("").toAbsolutePath();

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".data",
            description = "where PostgreSQL, S3, keys and logs live (default ${DEFAULT-VALUE})")
    private Path dataDir;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "15432", converter = Port.class,
            description = "embedded PostgreSQL port (default ${DEFAULT-VALUE}; 0: any free port)")
    private int postgresPort;

    @Option(names = "--s3-port", paramLabel = "PORT", defaultValue = "19000", converter = Port.class,
            description = "embedded S3 port (default ${DEFAULT-VALUE}; 0: any free port)")
    private int s3Port;

    @Option(names = "--smtp-port", paramLabel = "PORT", converter = Port.class,
            description = "the local mail server the suite sends through (default " + SMTP_PORT
                    + " + offset; 0: any free port)")
    private Integer smtpPort;

    @Option(names = "--inbox-port", paramLabel = "PORT", converter = Port.class,
            description = "the local inbox page and Slack webhooks (default " + INBOX_PORT + " + offset; 0: any free port)")
    private Integer inboxPort;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0", converter = Offset.class,
            description = "add N to the services' ports 8081-8084, management ports 9081-9084 and the inbox's default "
                    + "ports (default ${DEFAULT-VALUE})")
    private int portOffset;

    @Option(names = "--sample-users", paramLabel = "N", defaultValue = "1000", converter = Users.class,
            description = "size of the sample LoopGPT database on first start (default ${DEFAULT-VALUE}; ~3 KB a user)")
    private int sampleUsers;

    @Option(names = "--no-stream", negatable = false,
            description = "do not stream the sample database's changes (by default backup-service streams them: each "
                    + "committed change in the bucket within seconds, restorable to any second)")
    private boolean noStream;

    @Option(names = "--start-timeout", paramLabel = "SEC", defaultValue = "180", converter = Seconds.class,
            description = "how long to wait for each service to be ready (default ${DEFAULT-VALUE})")
    private int startTimeoutSeconds;

    @Option(names = "--max-restarts", paramLabel = "N", defaultValue = "5", converter = Restarts.class,
            description = "restarts of one crashed service within a minute before giving up on it (default ${DEFAULT-VALUE})")
    private int maxRestartsPerMinute;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    private Options() {
    }

    /**
     * The options on {@code args}; a ParameterException naming the option and what is wrong with it
     * ({@code --smtp-port must be between 0 and 65535}, {@code --inbox-port needs a value}).
     */
    static Options parse(String... args) {
        Options options = new Options();
        CommandLine line = new CommandLine(options);
        try {
            line.parseArgs(args);
        } catch (MissingParameterException e) {
            if (!e.getMissing().isEmpty() && e.getMissing().get(0) instanceof OptionSpec option) {
                throw new ParameterException(line, option.longestName() + " needs a value", e, option, null);
            }
            throw e;
        } catch (ParameterException e) {
            if (e.getCause() instanceof TypeConversionException wrong && e.getArgSpec() instanceof OptionSpec option) {
                throw new ParameterException(line, option.longestName() + " " + wrong.getMessage(), e, option, e.getValue());
            }
            throw e;
        }
        options.dataDir = options.dataDir.toAbsolutePath();
        options.smtpPort = options.smtpPort != null ? options.smtpPort : options.offsetPort(line, SMTP_PORT, "--smtp-port");
        options.inboxPort = options.inboxPort != null ? options.inboxPort
                : options.offsetPort(line, INBOX_PORT, "--inbox-port");
        return options;
    }

    private int offsetPort(CommandLine line, int base, String option) {
        if (base + portOffset > 65535) {
            throw new ParameterException(line, base + " + --port-offset " + portOffset + " is above 65535: give " + option);
        }
        return base + portOffset;
    }

    /** What {@code ./run.sh --help} prints. */
    static String usage() {
        return new CommandLine(new Options()).getUsageMessage();
    }

    void printUsage(PrintStream out) {
        new CommandLine(this).usage(out);
    }

    Path root() {
        return root;
    }

    Path dataDir() {
        return dataDir;
    }

    int postgresPort() {
        return postgresPort;
    }

    int s3Port() {
        return s3Port;
    }

    int smtpPort() {
        return smtpPort;
    }

    int inboxPort() {
        return inboxPort;
    }

    int portOffset() {
        return portOffset;
    }

    int sampleUsers() {
        return sampleUsers;
    }

    /** Whether backup-service streams the sample database (its changes, between backups). */
    boolean stream() {
        return !noStream;
    }

    int startTimeoutSeconds() {
        return startTimeoutSeconds;
    }

    int maxRestartsPerMinute() {
        return maxRestartsPerMinute;
    }

    boolean help() {
        return help;
    }

    /** A whole number from {@code min} to {@code max}; picocli names the option when it says what is wrong. */
    private abstract static class Within implements ITypeConverter<Integer> {
        private final int min;
        private final int max;

        Within(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("takes a number, not '" + value + "'");
            }
            if (n < min || n > max) {
                throw new TypeConversionException("must be between " + min + " and " + max);
            }
            return n;
        }
    }

    static final class Port extends Within {
        Port() {
            super(0, 65535);
        }
    }

    static final class Offset extends Within {
        Offset() {
            super(0, 50000);
        }
    }

    static final class Users extends Within {
        Users() {
            super(1, 10_000_000);
        }
    }

    static final class Seconds extends Within {
        Seconds() {
            super(5, 3600);
        }
    }

    static final class Restarts extends Within {
        Restarts() {
            super(0, 100);
        }
    }
}
