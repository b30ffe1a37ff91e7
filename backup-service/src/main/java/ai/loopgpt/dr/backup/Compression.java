package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.common.web.Coded;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the dump is compressed on its way to S3, on all cores. */
public enum Compression implements Coded {
    /** Standard gzip (several members, which gunzip reads as one file). */
    GZIP("gzip", "gz", "gunzip -c"),
    /** Zstandard: much faster for the same ratio; needs the zstd tool to read. */
    ZSTD("zstd", "zst", "zstd -dc");

    private final String code;
    private final String extension;
    private final String decompressCommand;

    Compression(String code, String extension, String decompressCommand) {
        this.code = code;
        this.extension = extension;
        this.decompressCommand = decompressCommand;
    }

    @JsonValue
    @Override
    public String code() {
        return code;
    }

    public String extension() {
        return extension;
    }

    /** The shell command that decompresses standard input to standard output. */
    public String decompressCommand() {
        return decompressCommand;
    }

    @JsonCreator
    public static Compression of(String code) {
        return Coded.byCode(Compression.class, code);
    }
}
