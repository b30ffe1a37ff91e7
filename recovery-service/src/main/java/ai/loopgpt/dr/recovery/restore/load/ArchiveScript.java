package ai.loopgpt.dr.recovery.restore.load;

import ai.loopgpt.dr.common.process.StderrTail;
import ai.loopgpt.dr.recovery.restore.RestoreEngine.RestoreFailure;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory archive ({@code pg_dump --format directory}, tarred by backup-service with its
 * table of contents first) read as the plain script {@code pg_restore --file -} would write for
 * it, while the archive still streams in: the schema and the statements come from pg_restore run
 * on the table of contents alone, the rows of each table straight from its data file in the tar
 * stream. Loaded by {@link PlainLoad}, the rows of the largest table go over every session and
 * nothing waits for the whole archive to be on disk.
 *
 * <p>The script is the archive's bytes unchanged (read as ISO-8859-1 text only to be cut at its
 * lines): the same statements in the same order as pg_restore's own script, the data entries in
 * the order of the tar. An archive whose table of contents is not first (written before
 * backup-service put it there) or that holds large objects cannot be read so: {@link #open}
 * extracts it to disk instead, for pg_restore.
 */
public final class ArchiveScript extends InputStream {

    private static final String TOC = "toc.dat";
    /** A line of {@code pg_restore --list}: "3305; 0 16389 TABLE DATA public users owner". */
    private static final Pattern LISTED = Pattern.compile("^(\\d+); \\d+ \\d+ (.+)$");
    private static final Pattern COPY_LINE = Pattern.compile("^COPY .* FROM stdin;$", Pattern.MULTILINE);

    private final InputStream tar;
    /** The data entry's text (header and COPY line) of each data file, by file name. */
    private final Map<String, byte[]> dataEntries;
    /** After the rows: the sequences' values, the post-data section, psql's closing line. */
    private final byte[] tail;
    private InputStream current;
    private TarReader.Entry file;
    private long fileLeft;
    private boolean ended;

    private ArchiveScript(InputStream tar, byte[] head, Map<String, byte[]> dataEntries, byte[] tail) {
        this.tar = tar;
        this.current = new ByteArrayInputStream(head);
        this.dataEntries = dataEntries;
        this.tail = tail;
    }

    /**
     * Reads the archive's table of contents from {@code tar} (a directory dump tarred under one
     * folder) and returns its script, or, if the archive cannot be read as it streams, extracts
     * all of it into {@code work} and returns nothing (the dump is then {@code work/<folder>}).
     */
    public static Optional<ArchiveScript> open(InputStream tar, Path work, String pgRestore)
            throws IOException, InterruptedException, RestoreFailure {
        TarReader.Entry entry = TarReader.next(tar);
        while (entry != null && !entry.isFile()) {
            TarReader.extractOne(tar, entry, work);
            entry = TarReader.next(tar);
        }
        if (entry == null) {
            throw new RestoreFailure("The archive holds no files: it is not a directory dump.");
        }
        if (!fileName(entry).equals(TOC)) {
            TarReader.extractRest(tar, entry, work);
            return Optional.empty();
        }
        Path dump = TarReader.extractOne(tar, entry, work).getParent();

        List<String> dataFiles = new ArrayList<>();
        for (String line : text(run(pgRestore, "--list", dump)).split("\n")) {
            Matcher m = LISTED.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String what = m.group(2);
            if (what.startsWith("TABLE DATA ")) {
                dataFiles.add(m.group(1) + ".dat");
            } else if (what.startsWith("BLOB") || what.startsWith("LARGE OBJECT")) {
                // Large objects live in files of their own, loaded by pg_restore alone.
                TarReader.extract(tar, work);
                return Optional.empty();
            }
        }
        // Empty data files: pg_restore writes each table's COPY statement without its rows.
        for (String name : dataFiles) {
            Files.write(dump.resolve(name), new byte[0]);
        }
        List<String> pre = lines(run(pgRestore, "--section=pre-data", dump));
        List<String> data = lines(run(pgRestore, "--section=data", dump));
        List<String> post = lines(run(pgRestore, "--section=post-data", dump));

        // psql's closing line (leaving its restricted mode, under the key the script began with) goes last.
        String closing = "";
        for (int i = pre.size() - 1; i >= 0; i--) {
            if (pre.get(i).startsWith("\\unrestrict ")) {
                closing = pre.remove(i) + "\n";
                break;
            }
        }
        List<Entry> dataSection = entries(data);
        Map<String, byte[]> byFile = new LinkedHashMap<>();
        StringBuilder sequences = new StringBuilder();
        for (Entry e : dataSection) {
            if (e.type.equals("TABLE DATA")) {
                if (byFile.size() == dataFiles.size()) {
                    throw new IOException("pg_restore wrote more tables' data than its list names");
                }
                byFile.put(dataFiles.get(byFile.size()), bytes(upToCopy(e.text)));
            } else {
                sequences.append(e.text);
            }
        }
        if (byFile.size() != dataFiles.size()) {
            throw new IOException("pg_restore wrote " + byFile.size() + " tables' data, its list names "
                    + dataFiles.size());
        }
        StringBuilder tail = new StringBuilder(sequences);
        for (Entry e : entries(post)) {
            tail.append(e.text);
        }
        tail.append(closing);
        return Optional.of(new ArchiveScript(tar, bytes(String.join("\n", pre) + "\n"), byFile,
                bytes(tail.toString())));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (current != null) {
                int n = current.read(b, off, len);
                if (n > 0) {
                    return n;
                }
                current = null;
            }
            if (fileLeft > 0) {
                int n = tar.read(b, off, (int) Math.min(len, fileLeft));
                if (n < 0) {
                    throw new EOFException("Truncated tar entry " + file.name());
                }
                fileLeft -= n;
                if (fileLeft == 0) {
                    TarReader.skipPadding(tar, file);
                }
                return n;
            }
            if (ended) {
                return -1;
            }
            advance();
        }
    }

    /** The next data file of the tar: its entry's text, then its rows; or, at the end, the tail. */
    private void advance() throws IOException {
        TarReader.Entry next = TarReader.next(tar);
        while (next != null && !next.isFile()) {
            next = TarReader.next(tar);
        }
        if (next == null) {
            if (!dataEntries.isEmpty()) {
                throw new IOException("The archive lacks the data files " + dataEntries.keySet()
                        + " its table of contents names: it is truncated or damaged");
            }
            ended = true;
            current = new ByteArrayInputStream(tail);
            return;
        }
        byte[] entry = dataEntries.remove(fileName(next));
        if (entry == null) {
            throw new IOException("The archive holds " + next.name()
                    + ", which its table of contents does not name (or names twice)");
        }
        file = next;
        fileLeft = next.size(); // an empty file has no padding either
        current = new ByteArrayInputStream(entry);
    }

    /** One entry of a pg_restore script: its header comment and what follows, up to the next. */
    private record Entry(String type, String text) {
    }

    /** A data entry's text up to its COPY line: the file's rows follow it. */
    private static String upToCopy(String entry) throws IOException {
        Matcher copy = COPY_LINE.matcher(entry);
        if (!copy.find()) {
            throw new IOException("pg_restore wrote a table's data without a COPY statement: " + entry.strip());
        }
        return entry.substring(0, copy.end()) + "\n";
    }

    /** The entries of a script, without what comes before the first (its preamble). */
    private static List<Entry> entries(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        String type = null;
        StringBuilder text = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher header = i + 1 < lines.size() && line.equals("--") ? ScriptClassifier.HEADER.matcher(lines.get(i + 1)) : null;
            if (header != null && header.matches()) {
                if (text != null) {
                    entries.add(new Entry(type, text.toString()));
                }
                type = header.group(2);
                text = new StringBuilder();
            }
            if (text != null && !line.startsWith("\\restrict ") && !line.startsWith("\\unrestrict ")) {
                text.append(line).append('\n');
            }
        }
        if (text != null) {
            entries.add(new Entry(type, text.toString()));
        }
        return entries;
    }

    /** pg_restore's script of the archive in {@code dump} (or its list), without connecting anywhere. */
    private static byte[] run(String pgRestore, String option, Path dump)
            throws IOException, InterruptedException, RestoreFailure {
        Process p = new ProcessBuilder(pgRestore, "--no-owner", "--no-privileges", "--format", "directory",
                option, "--file", "-", dump.toString()).start();
        StderrTail stderr = new StderrTail(p.getErrorStream(), "pg_restore");
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new RestoreFailure("pg_restore could not read the archive's table of contents ("
                    + (p.isAlive() ? "still running" : "exit " + p.exitValue()) + "): " + stderr.text());
        }
        return out;
    }

    private static List<String> lines(byte[] script) {
        return new ArrayList<>(List.of(text(script).split("\n", -1)));
    }

    /** Bytes as text one for one, whatever the dump's encoding. */
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String fileName(TarReader.Entry entry) {
        String name = entry.name();
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
