package ai.loopgpt.dr.backup.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a server and a database need before their changes can stream, each missing piece named with
 * its fix: checked against a real server that has none of them (wal_level=replica), then against the
 * same database once each is fixed; and the idle stream's probe, which a transaction in flight defers.
 */
class StreamReadinessTest {

    @Test
    void everyMissingPieceIsNamedWithItsFixAndNothingOnceFixed() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.startTransient(Map.of("wal_level", "replica"))) {
            server.ensureDatabase("shop", "shopkeeper", "secret");
            try (Connection c = server.connect("shop"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE ledger (at timestamptz NOT NULL, amount numeric)");
                s.execute("CREATE TABLE items (id int PRIMARY KEY)");
                s.execute("SELECT lo_create(0)");
            }
            Target target = new Target("shop", server.host(), server.port(), "shop", "shopkeeper", "secret");

            List<String> reasons = List.of(StreamBases.cannotStream(target, "dr_stream").split("; "));
            assertEquals(List.of(
                    "the server runs wal_level=replica: set wal_level=logical and restart it",
                    "user shopkeeper may not replicate: ALTER ROLE shopkeeper REPLICATION",
                    "the database has no publication dr_stream for all tables: as a superuser on shop, run CREATE "
                            + "PUBLICATION dr_stream FOR ALL TABLES",
                    "tables without a primary key or replica identity: public.ledger (give each a primary key, or "
                            + "ALTER TABLE … REPLICA IDENTITY FULL)",
                    "1 large objects, which logical decoding does not carry (store them as bytea, or do not stream "
                            + "this target)"), reasons);

            // Fixed one by one (the server's wal_level needs a restart: here its absence is the only reason left).
            try (Connection c = server.connect("shop"); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE shopkeeper REPLICATION");
                s.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
                s.execute("ALTER TABLE ledger REPLICA IDENTITY FULL");
                s.execute("SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
            }
            String left = StreamBases.cannotStream(target, "dr_stream");
            assertTrue(left.startsWith("the server runs wal_level=replica") && !left.contains(";"), left);
        }
        try (EmbeddedPostgres logical = EmbeddedPostgres.startTransient()) {
            logical.ensureDatabase("ready", "streamer", "secret");
            try (Connection c = logical.connect("ready"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items (id int PRIMARY KEY)");
                s.execute("ALTER ROLE streamer REPLICATION");
                s.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
            }
            Target ready = new Target("ready", logical.host(), logical.port(), "ready", "streamer", "secret");
            assertNull(StreamBases.cannotStream(ready, "dr_stream"));

            // The idle stream's probe (as the streaming user, no superuser): none while a transaction of the
            // database holds a transaction id (it may have its commit time and not yet its commit record).
            try (StreamWatermark watermark = new StreamWatermark(ready, java.util.UUID.randomUUID(), null, null);
                    Connection writer = logical.connect("ready"); Statement w = writer.createStatement()) {
                assertTrue(watermark.probe() != null, "idle: a probe");
                writer.setAutoCommit(false);
                w.execute("INSERT INTO items VALUES (1)");
                assertNull(watermark.probe(), "a transaction in flight: no probe");
                writer.commit();
                ChangeStreamer.Watermark.Probe probe = watermark.probe();
                assertTrue(probe != null && probe.lsn() > 0, "after the commit: a probe");
            }
        }
    }
}
