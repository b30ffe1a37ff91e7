package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.stream.PgOutputMessage.Begin;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Column;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Commit;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Delete;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Ignored;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Insert;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Relation;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Truncate;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Tuple;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Update;
import ai.loopgpt.dr.backup.stream.PgOutputMessage.Value;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one {@code pgoutput} message (protocol version 1, text values) from the bytes of an
 * XLogData payload. The server's encoding must be UTF-8 (checked before a target streams).
 */
public final class PgOutputDecoder {

    /** Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private PgOutputDecoder() {
    }

    /** The message in {@code buffer} (consumed); a malformed message is an {@link IllegalArgumentException}. */
    public static PgOutputMessage decode(ByteBuffer buffer) {
        char type = (char) buffer.get();
        try {
            PgOutputMessage message = switch (type) {
                case 'B' -> new Begin(buffer.getLong(), time(buffer.getLong()), buffer.getInt());
                case 'C' -> {
                    buffer.get(); // flags, unused
                    yield new Commit(buffer.getLong(), buffer.getLong(), time(buffer.getLong()));
                }
                case 'R' -> relation(buffer);
                case 'I' -> {
                    int oid = buffer.getInt();
                    expect(buffer, 'N');
                    yield new Insert(oid, tuple(buffer));
                }
                case 'U' -> update(buffer);
                case 'D' -> {
                    int oid = buffer.getInt();
                    char kind = (char) buffer.get();
                    Tuple old = tuple(buffer);
                    yield switch (kind) {
                        case 'K' -> new Delete(oid, old, null);
                        case 'O' -> new Delete(oid, null, old);
                        default -> throw new IllegalArgumentException("delete with old tuple kind '" + kind + "'");
                    };
                }
                case 'T' -> {
                    int count = buffer.getInt();
                    int options = buffer.get();
                    List<Integer> oids = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        oids.add(buffer.getInt());
                    }
                    yield new Truncate(List.copyOf(oids), (options & 1) != 0, (options & 2) != 0);
                }
                case 'Y' -> {
                    buffer.getInt();
                    string(buffer);
                    string(buffer);
                    yield new Ignored(type);
                }
                case 'O' -> {
                    buffer.getLong();
                    string(buffer);
                    yield new Ignored(type);
                }
                default -> throw new IllegalArgumentException("unknown message type '" + type + "'");
            };
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException(buffer.remaining() + " bytes left after message '" + type + "'");
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("message '" + type + "' is truncated", e);
        }
    }

    private static Relation relation(ByteBuffer buffer) {
        int oid = buffer.getInt();
        String namespace = string(buffer);
        String name = string(buffer);
        char identity = (char) buffer.get();
        int count = buffer.getShort();
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int flags = buffer.get();
            columns.add(new Column(string(buffer), buffer.getInt(), buffer.getInt(), (flags & 1) != 0));
        }
        return new Relation(oid, namespace, name, identity, List.copyOf(columns));
    }

    private static Update update(ByteBuffer buffer) {
        int oid = buffer.getInt();
        char kind = (char) buffer.get();
        Tuple key = null;
        Tuple old = null;
        if (kind == 'K' || kind == 'O') {
            Tuple tuple = tuple(buffer);
            if (kind == 'K') {
                key = tuple;
            } else {
                old = tuple;
            }
            kind = (char) buffer.get();
        }
        if (kind != 'N') {
            throw new IllegalArgumentException("update without its new tuple ('" + kind + "')");
        }
        return new Update(oid, key, old, tuple(buffer));
    }

    private static Tuple tuple(ByteBuffer buffer) {
        int count = buffer.getShort();
        List<Value> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            char kind = (char) buffer.get();
            values.add(switch (kind) {
                case 'n' -> Value.NULL;
                case 'u' -> Value.UNCHANGED;
                case 't' -> {
                    byte[] bytes = new byte[buffer.getInt()];
                    buffer.get(bytes);
                    yield new Value(Value.Kind.TEXT, new String(bytes, StandardCharsets.UTF_8));
                }
                default -> throw new IllegalArgumentException("column value of kind '" + kind + "'");
            });
        }
        return new Tuple(values);
    }

    private static void expect(ByteBuffer buffer, char kind) {
        char actual = (char) buffer.get();
        if (actual != kind) {
            throw new IllegalArgumentException("expected tuple '" + kind + "', found '" + actual + "'");
        }
    }

    private static String string(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        while (buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buffer.get(bytes);
        buffer.get(); // the terminating NUL
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static Instant time(long postgresMicros) {
        long micros = postgresMicros + POSTGRES_EPOCH_MICROS;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
