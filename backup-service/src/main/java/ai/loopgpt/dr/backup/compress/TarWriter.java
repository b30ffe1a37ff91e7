package ai.loopgpt.dr.backup.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Writes the regular files of one folder as a POSIX (ustar) tar stream, under the folder's name. */
public final class TarWriter {

    private static final int BLOCK = 512;

    private TarWriter() {
    }

    /**
     * Writes {@code folder}'s files under {@code name}/, the file named {@code first} (if any)
     * before the others: a directory dump's table of contents, so that a restore can start on it
     * while the rows still stream in.
     */
    public static void write(Path folder, String name, String first, OutputStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path f) -> !f.getFileName().toString().equals(first))
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
        }
        header(out, name + "/", 0, '5', 0755);
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            long size = Files.size(file);
            header(out, name + "/" + file.getFileName(), size, '0', 0644);
            try (InputStream in = Files.newInputStream(file)) {
                long copied = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    copied += n;
                }
                if (copied != size) {
                    throw new IOException(file + " changed while being archived");
                }
            }
            int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
            out.write(new byte[pad]);
        }
        out.write(new byte[2 * BLOCK]);
    }

    private static void header(OutputStream out, String name, long size, char type, int mode) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            throw new IOException("Name too long for tar: " + name);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, System.currentTimeMillis() / 1000);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, h, 148, 8);
        out.write(h);
    }

    private static void octal(byte[] h, int at, int width, long value) {
        byte[] digits = String.format("%0" + (width - 1) + "o", value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, at, width - 1);
        h[at + width - 1] = 0;
    }
}
