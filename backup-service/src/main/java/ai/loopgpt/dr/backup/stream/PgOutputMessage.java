package ai.loopgpt.dr.backup.stream;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * The messages of PostgreSQL's {@code pgoutput} logical decoding plugin, protocol version 1, that a
 * change stream carries (PostgreSQL's "Logical Replication Message Formats"). Values arrive in their
 * text form; LSNs are the 64-bit WAL positions.
 */
public sealed interface PgOutputMessage {

    /** A transaction starts; {@code commitLsn} and {@code commitTime} are those of its commit. */
    record Begin(long commitLsn, Instant commitTime, int xid) implements PgOutputMessage {}

    /** A transaction ends; {@code endLsn} is the WAL position just past its commit record. */
    record Commit(long commitLsn, long endLsn, Instant commitTime) implements PgOutputMessage {}

    /**
     * The shape of a table, sent before its first change in a session and again after it changed.
     * {@code replicaIdentity}: {@code d} default (primary key), {@code n} nothing, {@code f} full,
     * {@code i} an index. Kept as JSON too (a chain's base schema), hence registered for reflection.
     */
    @RegisterForReflection
    record Relation(int oid, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {

        /** The table's name as SQL: {@code "schema"."table"}. */
        public String qualifiedName() {
            return ChangeSql.identifier(namespace.isEmpty() ? "pg_catalog" : namespace) + "." + ChangeSql.identifier(name);
        }

        /** {@code schema.table}, unquoted, as row counts and reports name tables. */
        public String displayName() {
            return (namespace.isEmpty() ? "pg_catalog" : namespace) + "." + name;
        }
    }

    /** A column of a {@link Relation}; {@code key} when it is part of the replica identity. */
    @RegisterForReflection
    record Column(String name, int typeOid, int typeModifier, boolean key) {}

    record Insert(int relationOid, Tuple row) implements PgOutputMessage {}

    /**
     * An update: {@code key} holds the old key columns when the update changed them (identity
     * default or index), {@code old} the whole old row (identity full); both null otherwise.
     */
    record Update(int relationOid, Tuple key, Tuple old, Tuple row) implements PgOutputMessage {}

    /** A delete: the old key columns ({@code key}) or, for identity full, the whole old row ({@code old}). */
    record Delete(int relationOid, Tuple key, Tuple old) implements PgOutputMessage {}

    record Truncate(List<Integer> relationOids, boolean cascade, boolean restartIdentity) implements PgOutputMessage {}

    /** A message the stream does not need ({@code Y} type, {@code O} origin). */
    record Ignored(char type) implements PgOutputMessage {}

    /** The columns of a row, in the order of its relation's columns. */
    record Tuple(List<Value> values) {}

    /**
     * One column's value: {@code NULL}, {@code UNCHANGED} (a TOASTed value the update left alone,
     * not sent) or {@code TEXT} with its text form.
     */
    record Value(Kind kind, String text) {

        public enum Kind { NULL, UNCHANGED, TEXT }

        static final Value NULL = new Value(Kind.NULL, null);
        static final Value UNCHANGED = new Value(Kind.UNCHANGED, null);
    }
}
