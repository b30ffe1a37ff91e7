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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the whole suite on this machine: an embedded PostgreSQL 15 and S3 server keeping their data
 * under the data folder, the sample LoopGPT database, a local inbox (an SMTP server and Slack
 * webhooks keeping every message the suite sends, and a page showing them), and the four services
 * as child processes. Prints the URLs, an operator token and drctl doctor's self-check; Ctrl-C
 * stops everything.
 */
public final class Launcher {

    /** The four services, their module folders and fixed ports. */
    record Service(String name, int basePort, boolean usesS3) {
        Path jar(Path root) {
            return root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }
    }

    static final List<Service> SERVICES = List.of(
            new Service("backup-service", 8081, true),
            new Service("recovery-service", 8082, true),
            new Service("notification-service", 8083, false),
            new Service("status-service", 8084, false));

    static final String BUCKET = "loopgpt-dr-backups";
    static final String SAMPLE_DATABASE = "loopgpt";
    /** The local Slack channel every audience posts to: its webhook is the inbox's. */
    static final String SLACK_CHANNEL = "incidents";
    /** notification-service's audiences (its defaults give each one email addresses). */
    static final List<String> AUDIENCES = List.of("on-call", "team", "game-day");

    /** How one service is started, again after a crash: its environment and JVM system properties. */
    record Launch(Map<String, String> env, List<String> systemProperties) {
    }

    private final Options options;
    private final List<Process> children = new ArrayList<>();
    private final List<Launch> launches = new ArrayList<>();
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
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
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
        for (Service service : SERVICES) {
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
        postgres.ensureDatabase(SAMPLE_DATABASE, "loopgpt_app", samplePassword);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(SAMPLE_DATABASE), "loopgpt_app", samplePassword)) {
            if (SampleDatabase.populate(c, options.sampleUsers())) {
                say("Sample LoopGPT database created with %d users", options.sampleUsers());
            }
            say("Sample LoopGPT database rows: %s", SampleDatabase.rowCounts(c));
        }
        say("PostgreSQL 15 on 127.0.0.1:%d (databases: dr, %s)", postgres.port(), SAMPLE_DATABASE);

        String s3Key = secret(secrets, "s3-access-key").substring(0, 20).toUpperCase();
        s3 = EmbeddedS3.start(data.resolve("s3"), options.s3Port(), s3Key, secret(secrets, "s3-secret-key"));
        s3.ensureBucket(BUCKET);
        say("S3 on %s (bucket %s)", s3.endpoint(), BUCKET);

        // Every mail and Slack message the suite sends stays here, for a person to read.
        InboxFolder messages = InboxFolder.in(data, Clock.systemUTC());
        mail = MailSink.start(messages, options.smtpPort());
        inbox = Inbox.start(messages, options.inboxPort());
        say("Mail (SMTP) on 127.0.0.1:%d, Slack webhooks and the inbox on %s", mail.port(), inbox.url());

        LocalTokenIssuer issuer = LocalTokenIssuer.persistentIn(data.resolve("keys"));
        Path publicKey = data.resolve("keys/issuer-public.pem").toAbsolutePath();

        for (Service service : SERVICES) {
            Map<String, String> env = new LinkedHashMap<>();
            List<String> systemProperties = new ArrayList<>();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("dr"));
            env.put("QUARKUS_DATASOURCE_USERNAME", "dr");
            env.put("QUARKUS_DATASOURCE_PASSWORD", drPassword);
            env.put("MP_JWT_VERIFY_ISSUER", issuer.issuer());
            env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port(service)));
            // Health, metrics and OpenAPI: 9081-9084 beside 8081-8084 (each pod uses 9000 on Kubernetes).
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort(service)));
            // Logs go to files a person reads: plain text rather than production's JSON.
            env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            if (service.usesS3()) {
                env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", s3.endpoint());
                env.put("QUARKUS_S3_AWS_CREDENTIALS_TYPE", "static");
                env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", s3.accessKey());
                env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", s3.secretKey());
                env.put("DR_S3_BUCKET", BUCKET);
            }
            if (service.name().equals("backup-service")) {
                env.put("BACKUP_TARGETS__LOOPGPT__HOST", postgres.host());
                env.put("BACKUP_TARGETS__LOOPGPT__PORT", Integer.toString(postgres.port()));
                env.put("BACKUP_TARGETS__LOOPGPT__DATABASE", SAMPLE_DATABASE);
                env.put("BACKUP_TARGETS__LOOPGPT__USER", "loopgpt_app");
                env.put("BACKUP_TARGETS__LOOPGPT__PASSWORD", samplePassword);
                // The embedded S3's folder store cannot encrypt at rest; real buckets get AES256 by default.
                env.put("BACKUP_STORAGE_SERVER_SIDE_ENCRYPTION", "none");
                // Alerts to the operators (on every channel of their audience) and the internal Backups component.
                env.put("BACKUP_ALERTS_NOTIFICATION_URL", "http://127.0.0.1:" + port(SERVICES.get(2)));
                env.put("BACKUP_ALERTS_STATUS_URL", "http://127.0.0.1:" + port(SERVICES.get(3)));
                env.put("BACKUP_ALERTS_TOKEN", issuer.token("system:serviceaccount:dr:backup-service",
                        List.of("dr-service"), Duration.ofDays(30)));
                // Restore drills go through recovery-service into its scratch destination.
                env.put("BACKUP_DRILLS_RECOVERY_URL", "http://127.0.0.1:" + port(SERVICES.get(1)));
                env.put("BACKUP_DRILLS_RECOVERY_TOKEN", issuer.token("system:serviceaccount:dr:backup-service",
                        List.of("dr-service"), Duration.ofDays(30)));
            }
            if (service.name().equals("recovery-service")) {
                env.put("QUARKUS_REST_CLIENT_BACKUP_SERVICE_URL", "http://127.0.0.1:" + port(SERVICES.get(0)));
                env.put("RECOVERY_BACKUP_SERVICE_TOKEN", issuer.token("system:serviceaccount:dr:recovery-service",
                        List.of("dr-service"), Duration.ofDays(30)));
                // Restores of the sample go to new databases beside it (or replace it in place).
                env.put("RECOVERY_DESTINATIONS__LOOPGPT__HOST", postgres.host());
                env.put("RECOVERY_DESTINATIONS__LOOPGPT__PORT", Integer.toString(postgres.port()));
                env.put("RECOVERY_DESTINATIONS__LOOPGPT__DATABASE", SAMPLE_DATABASE);
                env.put("RECOVERY_DESTINATIONS__LOOPGPT__USER", EmbeddedPostgres.SUPERUSER);
                // Incidents open the public incident and tell the team (on every channel of its audience).
                env.put("RECOVERY_COMMUNICATION_STATUS_URL", "http://127.0.0.1:" + port(SERVICES.get(3)));
                env.put("RECOVERY_COMMUNICATION_NOTIFICATION_URL", "http://127.0.0.1:" + port(SERVICES.get(2)));
                env.put("RECOVERY_COMMUNICATION_TOKEN", issuer.token("system:serviceaccount:dr:recovery-service",
                        List.of("dr-service"), Duration.ofDays(30)));
                // The scratch destination of restore drills: copies are verified there, then dropped.
                env.put("RECOVERY_DESTINATIONS__SCRATCH__HOST", postgres.host());
                env.put("RECOVERY_DESTINATIONS__SCRATCH__PORT", Integer.toString(postgres.port()));
                env.put("RECOVERY_DESTINATIONS__SCRATCH__DATABASE", SAMPLE_DATABASE + "_scratch");
                env.put("RECOVERY_DESTINATIONS__SCRATCH__USER", EmbeddedPostgres.SUPERUSER);
                env.put("RECOVERY_DESTINATIONS__SCRATCH__SCRATCH", "true");
            }
            if (service.name().equals("notification-service")) {
                // The key of the unsubscribe links' HMAC: kept with the other local secrets, so links
                // mailed before a restart keep working.
                env.put("NOTIFY_SUBSCRIBERS_TOKEN_KEY", secret(secrets, "subscriber-token-key"));
                // Mail and Slack go to the local inbox: plain SMTP on loopback, one local Slack channel.
                env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
                env.put("QUARKUS_MAILER_PORT", Integer.toString(mail.port()));
                env.put("QUARKUS_MAILER_START_TLS", "DISABLED");
                // A connection per mail: a pooled one, reused after a quiet spell, held each mail up for the
                // mailer's 30 s timeout before it went (seen under ./run.sh).
                env.put("QUARKUS_MAILER_KEEP_ALIVE", "false");
                // Quoted map keys do not map reliably from environment variable names: system properties.
                systemProperties.add("-Dnotify.slack.\"" + SLACK_CHANNEL + "\".webhook-url=" + inbox.slackWebhook(SLACK_CHANNEL));
                for (String audience : AUDIENCES) {
                    systemProperties.add("-Dnotify.audiences.\"" + audience + "\".slack=" + SLACK_CHANNEL);
                }
                systemProperties.add("-Dnotify.public-url=http://localhost:" + port(service));
                // Dead letters of the suite's own messages raise status-service's internal Notifications component.
                env.put("NOTIFY_STATUS_URL", "http://127.0.0.1:" + port(SERVICES.get(3)));
                env.put("NOTIFY_STATUS_TOKEN", issuer.token("system:serviceaccount:dr:notification-service",
                        List.of("dr-service"), Duration.ofDays(30)));
            }
            if (service.name().equals("status-service")) {
                // Incident updates and subscriptions go to notification-service through the outbox.
                env.put("QUARKUS_REST_CLIENT_NOTIFICATION_SERVICE_URL", "http://127.0.0.1:" + port(SERVICES.get(2)));
                env.put("STATUS_NOTIFICATION_SERVICE_TOKEN", issuer.token("system:serviceaccount:dr:status-service",
                        List.of("dr-service"), Duration.ofDays(30)));
            }
            Launch launch = new Launch(Map.copyOf(env), List.copyOf(systemProperties));
            launches.add(launch);
            children.add(startService(root, data, service, launch));
        }

        for (Service service : SERVICES) {
            awaitReady(service, Duration.ofSeconds(options.startTimeoutSeconds()));
        }

        String operator = issuer.token("local-operator", List.of("dr-operator"), Duration.ofHours(12));
        String admin = issuer.token("local-admin", List.of("dr-admin"), Duration.ofHours(12));
        Path tokens = Files.createDirectories(data.resolve("tokens"));
        Files.writeString(tokens.resolve("operator.jwt"), operator);
        Files.writeString(tokens.resolve("admin.jwt"), admin);

        String drctlNote = writeDrctlContext(root, tokens.resolve("operator.jwt"));
        String selfCheck = selfCheck(root);

        StringBuilder banner = new StringBuilder("\nLoopGPT DR suite is running\n\n");
        banner.append(String.format("  %-22s %-28s %s%n", "service", "URL", "API docs, health, metrics (management port)"));
        for (Service service : SERVICES) {
            banner.append(String.format("  %-22s %-28s %s%n", service.name(), "http://localhost:" + port(service),
                    "http://localhost:" + managementPort(service) + "/q/openapi"));
        }
        banner.append(String.format("%n  PostgreSQL  127.0.0.1:%d   S3  %s   logs  %s%n", postgres.port(), s3.endpoint(),
                data.resolve("logs").toAbsolutePath()));
        banner.append(String.format("%n  Messages the suite sends: %s (mail and Slack, kept in %s and %s)%n", inbox.url(),
                shown(root, messages.mailFolder()), shown(root, messages.slackFolder())));
        banner.append("\nOperator token (dr-operator, 12 h; also in ").append(tokens.resolve("operator.jwt"))
                .append(", an admin one beside it):\n\n").append(operator).append("\n\n")
                .append("  TOKEN=$(cat ").append(tokens.resolve("operator.jwt")).append(")\n")
                .append("  curl -H \"Authorization: Bearer $TOKEN\" http://localhost:").append(port(SERVICES.get(0)))
                .append("/api/v1/targets\n")
                .append(drctlNote)
                .append(selfCheck)
                .append("\nCtrl-C stops everything; data is kept in ").append(data).append(".\n");
        System.out.println(banner);
    }

    /**
     * Writes drctl's {@code local} context (the four URLs, the operator token's file) with drctl itself,
     * so that {@code ./drctl backup list} works now. It becomes the current context unless another one
     * is: an operator's production context is never switched away from behind their back.
     */
    private String writeDrctlContext(Path root, Path tokenFile) {
        if (!Files.isRegularFile(drctlJar(root))) {
            return "\n(drctl is not built: ./mvnw package -DskipTests -pl dr-cli -am, then restart to get its local context.)\n";
        }
        List<String> command = drctl(root, "context", "set", contextName());
        String[] keys = {"--backup-url", "--recovery-url", "--notification-url", "--status-url"};
        for (int i = 0; i < SERVICES.size(); i++) {
            command.add(keys[i]);
            command.add("http://localhost:" + port(SERVICES.get(i)));
        }
        command.add("--token-file");
        command.add(tokenFile.toAbsolutePath().toString());
        try {
            String said = run(command);
            boolean local = run(drctl(root, "context", "show")).lines()
                    .anyMatch(l -> l.matches("context:\\s+" + java.util.regex.Pattern.quote(contextName()) + "\\s*"));
            return "\ndrctl: " + said + "\n"
                    + (local ? "  ./drctl backup list\n  ./drctl backup create --target loopgpt --wait\n"
                            : "  Another context is current: add --context " + contextName() + ", or run ./drctl context use "
                                    + contextName() + "\n");
        } catch (IOException e) {
            return "\n(drctl's local context could not be written: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * drctl's self-check ({@code drctl doctor --context local}) as a banner section: its ✓/✗ lines,
     * and whether every check passed. A failed check is said, and the suite keeps running.
     */
    private String selfCheck(Path root) {
        if (!Files.isRegularFile(drctlJar(root))) {
            return "";
        }
        StringBuilder section = new StringBuilder("\nSelf-check (drctl doctor):\n");
        try {
            Finished doctor = run(drctl(root, "doctor", "--context", contextName()), Duration.ofSeconds(120));
            // A drctl from before doctor: a usage error (exit 2 or 64, "Unknown" or "Unmatched argument"), no check at all.
            String said = doctor.output();
            if ((doctor.exitCode() == 2 || doctor.exitCode() == 64) && !said.contains("✓") && !said.contains("✗")
                    && (said.contains("Unknown") || said.contains("Unmatched argument"))) {
                return section.append("  (drctl doctor not available)\n").toString();
            }
            said.lines().forEach(line -> section.append(line.isBlank() ? "" : "  " + line).append('\n'));
            if (doctor.exitCode() != 0) {
                section.append("  Some checks failed: see above (drctl doctor exited with ").append(doctor.exitCode())
                        .append("). The suite keeps running.\n");
            }
        } catch (IOException e) {
            section.append("  Some checks failed: drctl doctor could not run: ").append(e.getMessage()).append('\n');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return section.toString();
    }

    private static Path drctlJar(Path root) {
        return root.resolve("dr-cli/target/quarkus-app/quarkus-run.jar");
    }

    /** The command running drctl with {@code args}, as the {@code drctl} script does. */
    private static List<String> drctl(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8", "-jar", drctlJar(root).toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A finished command: its exit code and its output (stdout and stderr together). */
    record Finished(int exitCode, String output) {
    }

    /** Runs a short command; its output, or an IOException saying why it failed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Finished finished = run(command, Duration.ofSeconds(60));
        if (finished.exitCode() != 0) {
            throw new IOException(finished.output());
        }
        return finished.output();
    }

    /** Runs a command for at most {@code timeout}; an IOException if it could not start or did not finish. */
    private static Finished run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        // Output goes to a file, not a pipe: a command that hangs cannot hang the launcher past the timeout.
        Path output = Files.createTempFile("dr-launcher-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("no answer within " + timeout.toSeconds() + " s: " + String.join(" ", command));
            }
            return new Finished(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(output);
        }
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

    private int port(Service service) {
        return service.basePort() + options.portOffset();
    }

    private int managementPort(Service service) {
        return service.basePort() + 1000 + options.portOffset();
    }

    /** The services that move gigabytes through themselves (dumps, restores). */
    private static final List<String> STREAMING = List.of("backup-service", "recovery-service");

    private Process startService(Path root, Path data, Service service, Launch launch) throws IOException {
        Path log = data.resolve("logs").resolve(service.name() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC"));
        if (!STREAMING.contains(service.name())) {
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
        say("Starting %s on port %d (pid %d, log %s)", service.name(), port(service), process.pid(), log);
        return process;
    }

    private void awaitReady(Service service, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + managementPort(service) + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process = children.get(SERVICES.indexOf(service));
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited with code " + process.exitValue()
                        + "; see " + options.dataDir().resolve("logs/" + service.name() + ".log"));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    say("%s is ready", service.name());
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service.name() + " was not ready within " + timeout.toSeconds() + " s (" + last
                + "); see " + options.dataDir().resolve("logs/" + service.name() + ".log"));
    }

    /**
     * Keeps the suite up until the launcher is interrupted: a service that dies is started again
     * after a backoff (1 s, doubling up to 30 s), the others untouched. One that dies more than
     * --max-restarts times within a minute is left stopped, said loudly; the rest keeps running.
     */
    int watch() throws InterruptedException {
        int n = SERVICES.size();
        List<java.util.ArrayDeque<Long>> restarts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            restarts.add(new java.util.ArrayDeque<>());
        }
        long[] restartAt = new long[n];
        boolean[] givenUp = new boolean[n];
        while (!stopping) {
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Service service = SERVICES.get(i);
                Process child = children.get(i);
                if (child.isAlive() || stopping || givenUp[i]) {
                    continue;
                }
                Path log = options.dataDir().resolve("logs/" + service.name() + ".log");
                java.util.ArrayDeque<Long> recent = restarts.get(i);
                while (!recent.isEmpty() && now - recent.peekFirst() > TimeUnit.MINUTES.toNanos(1)) {
                    recent.removeFirst();
                }
                if (restartAt[i] == 0) {
                    if (recent.size() >= options.maxRestartsPerMinute()) {
                        givenUp[i] = true;
                        System.err.printf("[dr-launcher] %s exited with code %d after %d restarts within a minute; it is "
                                + "left stopped (the rest keeps running). See %s%n", service.name(), child.exitValue(),
                                recent.size(), log);
                        continue;
                    }
                    long delay = Math.min(30, 1L << recent.size());
                    System.err.printf("[dr-launcher] %s exited with code %d; restarting it in %d s. See %s%n",
                            service.name(), child.exitValue(), delay, log);
                    restartAt[i] = now + TimeUnit.SECONDS.toNanos(delay);
                } else if (now - restartAt[i] >= 0) {
                    restartAt[i] = 0;
                    recent.addLast(now);
                    restart(i);
                }
            }
            Thread.sleep(500);
        }
        return 0;
    }

    private void restart(int index) {
        Service service = SERVICES.get(index);
        synchronized (this) {
            if (stopping) {
                return;
            }
            try {
                children.set(index, startService(options.root(), options.dataDir(), service, launches.get(index)));
            } catch (IOException e) {
                System.err.printf("[dr-launcher] could not restart %s: %s%n", service.name(), e.getMessage());
                return;
            }
        }
        Thread ready = new Thread(() -> {
            try {
                awaitReady(service, Duration.ofSeconds(options.startTimeoutSeconds()));
            } catch (Exception e) {
                System.err.printf("[dr-launcher] %s%n", e.getMessage());
            }
        }, "await-" + service.name());
        ready.setDaemon(true);
        ready.start();
    }

    synchronized void stop() {
        if (stopping && children.isEmpty() && postgres == null && s3 == null && mail == null && inbox == null) {
            return;
        }
        stopping = true;
        for (Process child : children) {
            child.destroy();
        }
        for (Process child : children) {
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
