package ai.loopgpt.dr.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local inbox on disk, and the only class that knows its layout: mails in {@code mail/} as
 * {@code 20261206T071200.123Z-1a2b3c.eml} (the raw message), Slack posts in {@code slack/} as
 * {@code 20261206T071200.123Z-incidents.json} (the posted body). Names sort by arrival time: each
 * file gets a later millisecond than the one before, even within one millisecond. Files appear
 * whole (written aside, then linked in).
 */
public final class InboxFolder {

    /** What a stored file holds. */
    public enum Kind { MAIL, SLACK }

    /** One stored message: its file name (also its id in the inbox's URLs), kind and arrival time. */
    public record Entry(String name, Kind kind, Instant received, Path file) {
        /** The Slack channel a post went to; empty for a mail. */
        public String channel() {
            return kind == Kind.SLACK ? name.substring(TIME_LENGTH + 1, name.length() - ".json".length()) : "";
        }
    }

    /** A Slack channel name as Slack allows it: lowercase letters, digits, '-' and '_', at most 80. */
    public static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,79}");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int TIME_LENGTH = "20261206T071200.123Z".length();
    private static final Pattern NAME = Pattern.compile(
            "(\\d{8}T\\d{6}\\.\\d{3}Z)-(?:[0-9a-f]{6}\\.eml|" + CHANNEL.pattern() + "\\.json)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path mail;
    private final Path slack;
    private final Clock clock;
    private Instant last = Instant.EPOCH;

    private InboxFolder(Path mail, Path slack, Clock clock) {
        this.mail = mail;
        this.slack = slack;
        this.clock = clock;
    }

    /** The inbox under {@code dataDirectory}: {@code mail/} and {@code slack/}, created if missing. */
    public static InboxFolder in(Path dataDirectory, Clock clock) {
        try {
            return new InboxFolder(Files.createDirectories(dataDirectory.resolve("mail")),
                    Files.createDirectories(dataDirectory.resolve("slack")), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the inbox folders under " + dataDirectory, e);
        }
    }

    public Path mailFolder() {
        return mail;
    }

    public Path slackFolder() {
        return slack;
    }

    /** Stores a received mail (the message as sent after DATA, CRLF line ends); its file. */
    public Path storeMail(byte[] message) throws IOException {
        return store(mail, "-" + HexFormat.of().formatHex(randomBytes(3)) + ".eml", message);
    }

    /** Stores the body of a Slack post to {@code channel} (checked against {@link #CHANNEL}); its file. */
    public Path storeSlack(String channel, byte[] body) throws IOException {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("Not a Slack channel name: " + channel);
        }
        return store(slack, "-" + channel + ".json", body);
    }

    /** Every stored message, newest first. */
    public List<Entry> newestFirst() throws IOException {
        List<Entry> entries = new ArrayList<>();
        list(mail, Kind.MAIL, entries);
        list(slack, Kind.SLACK, entries);
        entries.sort(Comparator.comparing(Entry::name).reversed());
        return entries;
    }

    /**
     * The stored message called {@code name}, if there is one: a name that is not exactly one of
     * this folder's file names (a path, "..", anything else) finds nothing.
     */
    public Optional<Entry> find(String name) {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Kind kind = name.endsWith(".eml") ? Kind.MAIL : Kind.SLACK;
        Path file = (kind == Kind.MAIL ? mail : slack).resolve(name);
        if (!file.getParent().equals(kind == Kind.MAIL ? mail : slack) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new Entry(name, kind, Instant.from(TIME.parse(matcher.group(1))), file));
    }

    private void list(Path folder, Kind kind, List<Entry> into) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            files.map(f -> f.getFileName().toString()).forEach(name -> {
                Matcher matcher = NAME.matcher(name);
                if (matcher.matches() && name.endsWith(kind == Kind.MAIL ? ".eml" : ".json")) {
                    into.add(new Entry(name, kind, Instant.from(TIME.parse(matcher.group(1))), folder.resolve(name)));
                }
            });
        }
    }

    private Path store(Path folder, String suffix, byte[] content) throws IOException {
        Path aside = Files.createTempFile(folder, ".incoming-", ".tmp");
        try {
            Files.write(aside, content);
            while (true) {
                Path file = folder.resolve(TIME.format(nextTime()) + suffix);
                try {
                    // A second name for the whole file, atomically, never over an existing one.
                    return Files.createLink(file, aside);
                } catch (FileAlreadyExistsException taken) {
                    // Left by an earlier run whose clock was ahead: the next millisecond.
                }
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** The clock's time, but always after the last name given. */
    private synchronized Instant nextTime() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        last = now.isAfter(last) ? now : last.plusMillis(1);
        return last;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
