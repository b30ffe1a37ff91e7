package ai.loopgpt.dr.launcher;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.embedded.Inbox;
import ai.loopgpt.dr.embedded.InboxFolder;
import ai.loopgpt.dr.embedded.LocalTokenIssuer;
import ai.loopgpt.dr.embedded.MailSink;
import ai.loopgpt.dr.embedded.SampleDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ParameterException;

/**
 * Runs the whole suite on this machine: an embedded PostgreSQL 15 and S3 server keeping their data
 * under the data folder, the sample LoopGPT database, a local inbox (an SMTP server and Slack
 * webhooks keeping every message the suite sends, and a page showing them), and the four services
 * as child processes. Prints the URLs, an operator token and drctl doctor's self-check; Ctrl-C
 * stops everything.
 */
public final class Launcher {

    private final Options options;
    private final Map<Service, Process> children = new EnumMap<>(Service.class);
    private final Map<Service, Launch> launches = new EnumMap<>(Service.class);
    private Suite suite;
    private EmbeddedPostgres postgres;
    private EmbeddedS3 s3;
    private MailSink mail;
    private Inbox inbox;
    private volatile boolean stopping;

    Launcher(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (ParameterException e) {
            // The message, then the usage, on stderr; exit 2.
            System.exit(e.getCommandLine().getParameterExceptionHandler().handleParseException(e, args));
            return;
        }
        if (options.help()) {
            options.printUsage(System.out);
            return;
        }
        Launcher launcher = new Launcher(options);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, "dr-launcher-stop"));
        try {
            launcher.start();
        } catch (Exception e) {
            System.err.println("Could not start the suite: " + e.getMessage());
            System.exit(1);
        }
        int exit = launcher.watch();
        System.exit(exit);
    }

    void start() throws Exception {
        Path data = options.dataDir();
        Path root = options.root();
        for (Service service : Service.values()) {
            if (!Files.isRegularFile(service.jar(root))) {
                throw new IllegalStateException(service.jar(root) + " is missing: build with ./mvnw package -DskipTests");
            }
        }
        Files.createDirectories(data.resolve("logs"));
        Path secrets = Files.createDirectories(data.resolve("secrets"));
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));

        say("Data folder: %s", data.toAbsolutePath());
        postgres = EmbeddedPostgres.start(data.resolve("postgres"), options.postgresPort());
        String drPassword = secret(secrets, "dr-database.password");
        String samplePassword = secret(secrets, "loopgpt-database.password");
        postgres.ensureDatabase("dr", "dr", drPassword);
        postgres.ensureDatabase(Suite.SAMPLE_DATABASE, "loopgpt_app", samplePassword);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(Suite.SAMPLE_DATABASE), "loopgpt_app", samplePassword)) {
            if (SampleDatabase.populate(c, options.sampleUsers())) {
                say("Sample LoopGPT database created with %d users", options.sampleUsers());
            }
            say("Sample LoopGPT database rows: %s", SampleDatabase.rowCounts(c));
        }
        if (options.stream()) {
            // What a streamed target needs of its server and user (the server runs wal_level=logical):
            // backup-service then streams the sample's committed changes between its backups.
            try (Connection c = postgres.connect(Suite.SAMPLE_DATABASE); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE loopgpt_app REPLICATION");
                s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'dr_stream') THEN "
                        + "CREATE PUBLICATION dr_stream FOR ALL TABLES; END IF; END $$");
            }
        }
        say("PostgreSQL 15 on 127.0.0.1:%d (databases: dr, %s)", postgres.port(), Suite.SAMPLE_DATABASE);

        String s3Key = secret(secrets, "s3-access-key").substring(0, 20).toUpperCase();
        s3 = EmbeddedS3.start(data.resolve("s3"), options.s3Port(), s3Key, secret(secrets, "s3-secret-key"));
        s3.ensureBucket(Suite.BUCKET);
        say("S3 on %s (bucket %s)", s3.endpoint(), Suite.BUCKET);

        // Every mail and Slack message the suite sends stays here, for a person to read.
        InboxFolder messages = InboxFolder.in(data, Clock.systemUTC());
        mail = MailSink.start(messages, options.smtpPort());
        inbox = Inbox.start(messages, options.inboxPort());
        say("Mail (SMTP) on 127.0.0.1:%d, Slack webhooks and the inbox on %s", mail.port(), inbox.url());

        LocalTokenIssuer issuer = LocalTokenIssuer.persistentIn(data.resolve("keys"));
        Path publicKey = data.resolve("keys/issuer-public.pem").toAbsolutePath();
        suite = new Suite(options, postgres, drPassword, samplePassword, s3, mail, inbox, issuer, publicKey, secrets);

        for (Service service : Service.values()) {
            Launch launch = service.launch(suite);
            launches.put(service, launch);
            children.put(service, startService(root, data, service, launch));
        }

        for (Service service : Service.values()) {
            awaitReady(service, Duration.ofSeconds(options.startTimeoutSeconds()));
        }

        String operator = issuer.token("local-operator", List.of("dr-operator"), Duration.ofHours(12));
        String admin = issuer.token("local-admin", List.of("dr-admin"), Duration.ofHours(12));
        Path tokens = Files.createDirectories(data.resolve("tokens"));
        Files.writeString(tokens.resolve("operator.jwt"), operator);
        Files.writeString(tokens.resolve("admin.jwt"), admin);

        LocalDrctl drctl = new LocalDrctl(root, contextName());
        String drctlNote = drctl.writeContext(suite, tokens.resolve("operator.jwt"));
        String selfCheck = drctl.selfCheck();

        StringBuilder banner = new StringBuilder("\nLoopGPT DR suite is running\n\n");
        banner.append(String.format("  %-22s %-28s %s%n", "service", "URL", "API docs, health, metrics (management port)"));
        for (Service service : Service.values()) {
            banner.append(String.format("  %-22s %-28s %s%n", service.module(), "http://localhost:" + suite.port(service),
                    "http://localhost:" + suite.managementPort(service) + "/q/openapi"));
        }
        banner.append(String.format("%n  PostgreSQL  127.0.0.1:%d   S3  %s   logs  %s%n", postgres.port(), s3.endpoint(),
                data.resolve("logs").toAbsolutePath()));
        banner.append(String.format("%n  Messages the suite sends: %s (mail and Slack, kept in %s and %s)%n", inbox.url(),
                shown(root, messages.mailFolder()), shown(root, messages.slackFolder())));
        banner.append("\nOperator token (dr-operator, 12 h; also in ").append(tokens.resolve("operator.jwt"))
                .append(", an admin one beside it):\n\n").append(operator).append("\n\n")
                .append("  TOKEN=$(cat ").append(tokens.resolve("operator.jwt")).append(")\n")
                .append("  curl -H \"Authorization: Bearer $TOKEN\" http://localhost:").append(suite.port(Service.BACKUP))
                .append("/api/v1/targets\n")
                .append(drctlNote)
                .append(selfCheck)
                .append("\nCtrl-C stops everything; data is kept in ").append(data).append(".\n");
        System.out.println(banner);
    }

    /** A folder as a person would type it from the repository root. */
    private static String shown(Path root, Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }

    /**
     * drctl's context for this suite: {@code local}, or {@code local-<offset>} for a suite started
     * with another --port-offset, so that a second suite never overwrites the first one's context.
     */
    String contextName() {
        return options.portOffset() == 0 ? "local" : "local-" + options.portOffset();
    }

    private Process startService(Path root, Path data, Service service, Launch launch) throws IOException {
        Path log = data.resolve("logs").resolve(service.module() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC"));
        if (!service.streaming()) {
            // Quick to start on a small machine; the services that stream dumps keep the optimizing compiler.
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-Djava.io.tmpdir=" + Files.createDirectories(data.resolve("tmp")).toAbsolutePath());
        command.addAll(launch.systemProperties());
        command.addAll(List.of("-jar", service.jar(root).toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(launch.env());
        Process process = builder.start();
        say("Starting %s on port %d (pid %d, log %s)", service.module(), suite.port(service), process.pid(), log);
        return process;
    }

    private void awaitReady(Service service, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + suite.managementPort(service) + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process = children.get(service);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.module() + " exited with code " + process.exitValue()
                        + "; see " + log(service) + ", which ends:\n" + tail(log(service), 15));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    say("%s is ready", service.module());
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service.module() + " was not ready within " + timeout.toSeconds() + " s (" + last
                + "); see " + log(service) + ", which ends:\n" + tail(log(service), 15));
    }

    private Path log(Service service) {
        return options.dataDir().resolve("logs/" + service.module() + ".log");
    }

    /** The last {@code count} lines of {@code log}: why a service did not start, without opening the file. */
    private static String tail(Path log, int count) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Keeps the suite up until the launcher is interrupted: a service that dies is started again
     * after a backoff (1 s, doubling up to 30 s), the others untouched. One that dies more than
     * --max-restarts times within a minute is left stopped, said loudly; the rest keeps running.
     */
    int watch() throws InterruptedException {
        Map<Service, ArrayDeque<Long>> restarts = new EnumMap<>(Service.class);
        Map<Service, Long> restartAt = new EnumMap<>(Service.class);
        List<Service> givenUp = new ArrayList<>();
        for (Service service : Service.values()) {
            restarts.put(service, new ArrayDeque<>());
        }
        while (!stopping) {
            long now = System.nanoTime();
            for (Service service : Service.values()) {
                Process child = children.get(service);
                if (child.isAlive() || stopping || givenUp.contains(service)) {
                    continue;
                }
                Path log = log(service);
                ArrayDeque<Long> recent = restarts.get(service);
                while (!recent.isEmpty() && now - recent.peekFirst() > TimeUnit.MINUTES.toNanos(1)) {
                    recent.removeFirst();
                }
                Long due = restartAt.get(service);
                if (due == null) {
                    if (recent.size() >= options.maxRestartsPerMinute()) {
                        givenUp.add(service);
                        System.err.printf("[dr-launcher] %s exited with code %d after %d restarts within a minute; it is "
                                + "left stopped (the rest keeps running). See %s%n", service.module(), child.exitValue(),
                                recent.size(), log);
                        continue;
                    }
                    long delay = Math.min(30, 1L << recent.size());
                    System.err.printf("[dr-launcher] %s exited with code %d; restarting it in %d s. See %s%n",
                            service.module(), child.exitValue(), delay, log);
                    restartAt.put(service, now + TimeUnit.SECONDS.toNanos(delay));
                } else if (now - due >= 0) {
                    restartAt.remove(service);
                    recent.addLast(now);
                    restart(service);
                }
            }
            Thread.sleep(500);
        }
        return 0;
    }

    private void restart(Service service) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            try {
                children.put(service, startService(options.root(), options.dataDir(), service, launches.get(service)));
            } catch (IOException e) {
                System.err.printf("[dr-launcher] could not restart %s: %s%n", service.module(), e.getMessage());
                return;
            }
        }
        Thread ready = new Thread(() -> {
            try {
                awaitReady(service, Duration.ofSeconds(options.startTimeoutSeconds()));
            } catch (Exception e) {
                System.err.printf("[dr-launcher] %s%n", e.getMessage());
            }
        }, "await-" + service.module());
        ready.setDaemon(true);
        ready.start();
    }

    synchronized void stop() {
        if (stopping && children.isEmpty() && postgres == null && s3 == null && mail == null && inbox == null) {
            return;
        }
        stopping = true;
        for (Process child : children.values()) {
            child.destroy();
        }
        for (Process child : children.values()) {
            try {
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }
        children.clear();
        // After the services: a mail sent while they stopped still lands.
        if (mail != null) {
            try {
                mail.close();
            } catch (RuntimeException e) {
                System.err.println("SMTP server: " + e.getMessage());
            }
            mail = null;
        }
        if (inbox != null) {
            inbox.close();
            inbox = null;
        }
        if (s3 != null) {
            try {
                s3.close();
            } catch (RuntimeException e) {
                System.err.println("S3 server: " + e.getMessage());
            }
            s3 = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                System.err.println("PostgreSQL: " + e.getMessage());
            }
            postgres = null;
        }
        say("Stopped.");
    }

    /** A random secret kept in {@code dir/name} (owner-only), created on first use. */
    static String secret(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String value = HexFormat.of().formatHex(bytes);
        Files.writeString(file, value);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return value;
    }

    private static void say(String format, Object... args) {
        System.out.printf("[dr-launcher] " + format + "%n", args);
    }
}
