package ai.loopgpt.dr.common.stream;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The text of a change segment as both services read it: backup-service writes segments, recovery-service
 * replays them. Its first line, the header of each transaction
 * ({@code -- txn <commit time> <commit LSN> xid=<xid>}), how commit times and LSNs are written.
 */
public final class ChangeSegmentFormat {

    /** The first line of every change segment. */
    public static final String FIRST_LINE = "-- loopgpt-dr change segment v1";
    /** How each transaction's header line starts. */
    public static final String TRANSACTION_HEADER = "-- txn ";
    private static final DateTimeFormatter COMMIT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ChangeSegmentFormat() {
    }

    /**
     * {@code 2026-12-06T05:47:13.120431Z}: how commit times are written (six fractional digits and a Z, so
     * that they compare as text in time order), and how a time to stop at must be.
     */
    public static String commitTime(Instant time) {
        return COMMIT_TIME.format(time);
    }

    /** {@code 0/16B37A0}, as PostgreSQL writes an LSN. */
    public static String lsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase();
    }

    /** The LSN PostgreSQL writes as {@code 0/16B37A0}. */
    public static long parseLsn(String text) {
        int slash = text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN: " + text);
        }
        return Long.parseUnsignedLong(text.substring(0, slash), 16) << 32
                | Long.parseUnsignedLong(text.substring(slash + 1), 16);
    }
}
