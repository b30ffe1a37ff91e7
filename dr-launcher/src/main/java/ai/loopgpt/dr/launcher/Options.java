package ai.loopgpt.dr.launcher;

import java.nio.file.Path;

/** Command-line options of the launcher. */
record Options(Path root, Path dataDir, int postgresPort, int s3Port, int smtpPort, int inboxPort, int portOffset,
        int sampleUsers, int startTimeoutSeconds, int maxRestartsPerMinute, boolean help) {

    /** The local inbox's ports before --port-offset: SMTP, and HTTP for Slack posts and the inbox page. */
    static final int SMTP_PORT = 11025;
    static final int INBOX_PORT = 18025;


    static final String USAGE = """
            Usage: ./run.sh [options]
              --data-dir DIR        where PostgreSQL, S3, keys and logs live (default .data)
              --postgres-port PORT  embedded PostgreSQL port (default 15432; 0: any free port)
              --s3-port PORT        embedded S3 port (default 19000; 0: any free port)
              --smtp-port PORT      the local mail server the suite sends through (default 11025 + offset; 0: any free port)
              --inbox-port PORT     the local inbox page and Slack webhooks (default 18025 + offset; 0: any free port)
              --port-offset N       add N to the services' ports 8081-8084, management ports 9081-9084 and the
                                    inbox's default ports (default 0)
              --sample-users N      size of the sample LoopGPT database on first start (default 1000; ~3 KB a user)
              --start-timeout SEC   how long to wait for each service to be ready (default 180)
              --max-restarts N      restarts of one crashed service within a minute before giving up on it (default 5)
            """;

    static Options parse(String[] args) {
        Path root = Path.of("").toAbsolutePath();
        Path data = root.resolve(".data");
        int pg = 15432;
        int s3 = 19000;
        Integer smtp = null;
        Integer inbox = null;
        int offset = 0;
        int users = 1000;
        int timeout = 180;
        int restarts = 5;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "--data-dir" -> data = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--postgres-port" -> pg = number(value(args, ++i, arg), arg, 0, 65535);
                case "--s3-port" -> s3 = number(value(args, ++i, arg), arg, 0, 65535);
                case "--smtp-port" -> smtp = number(value(args, ++i, arg), arg, 0, 65535);
                case "--inbox-port" -> inbox = number(value(args, ++i, arg), arg, 0, 65535);
                case "--port-offset" -> offset = number(value(args, ++i, arg), arg, 0, 50000);
                case "--sample-users" -> users = number(value(args, ++i, arg), arg, 1, 10_000_000);
                case "--start-timeout" -> timeout = number(value(args, ++i, arg), arg, 5, 3600);
                case "--max-restarts" -> restarts = number(value(args, ++i, arg), arg, 0, 100);
                default -> throw new IllegalArgumentException("Unknown option " + arg);
            }
        }
        return new Options(root, data, pg, s3, smtp != null ? smtp : offsetPort(SMTP_PORT, offset, "--smtp-port"),
                inbox != null ? inbox : offsetPort(INBOX_PORT, offset, "--inbox-port"), offset, users, timeout, restarts, help);
    }

    private static int offsetPort(int base, int offset, String option) {
        if (base + offset > 65535) {
            throw new IllegalArgumentException(base + " + --port-offset " + offset + " is above 65535: give " + option);
        }
        return base + offset;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String value, String option, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not '" + value + "'");
        }
    }
}
