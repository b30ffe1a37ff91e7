package ai.loopgpt.dr.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A real PostgreSQL 15 server (binaries from a Maven artifact) on loopback.
 *
 * <p>The superuser {@code postgres} connects without a password from loopback; every other role
 * must give its password (scram-sha-256), as it would against a managed database.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a throw-away server on a random port; its data goes with {@link #close()}. */
    public static EmbeddedPostgres startTransient() {
        return start(null, 0);
    }

    /** A throw-away server with {@code settings} (postgresql.conf names) over the usual ones: one set up differently. */
    public static EmbeddedPostgres startTransient(java.util.Map<String, String> settings) {
        return start(null, 0, settings);
    }

    /**
     * Starts a server on {@code port} (0: any free port) keeping its data in {@code dataDirectory}
     * (null: a temporary one). An existing data directory is reused, so data survives restarts.
     */
    public static EmbeddedPostgres start(Path dataDirectory, int port) {
        return start(dataDirectory, port, java.util.Map.of());
    }

    private static EmbeddedPostgres start(Path dataDirectory, int port, java.util.Map<String, String> settings) {
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // Logical decoding, for the targets whose changes are streamed.
                    .setServerConfig("wal_level", "logical")
                    .setDataDirectoryCustomizer(dir -> requirePasswords(dir.toPath()));
            settings.forEach(builder::setServerConfig);
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            return new EmbeddedPostgres(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    private static void requirePasswords(Path dataDirectory) {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        try {
            Files.write(hba, List.of(
                    "# Written by dr-embedded: the superuser is trusted on loopback, every other role needs its password.",
                    "local all postgres trust",
                    "host  all postgres 127.0.0.1/32 trust",
                    "local all all scram-sha-256",
                    "host  all all 127.0.0.1/32 scram-sha-256"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + hba, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String host() {
        return "127.0.0.1";
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A superuser connection to {@code database}. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
    }

    /**
     * Makes sure a role with {@code password} owns a database named {@code database}, creating
     * either if missing. Idempotent: safe on every start.
     */
    public void ensureDatabase(String database, String owner, String password) {
        requireIdentifier(database);
        requireIdentifier(owner);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            boolean roleExists;
            try (var rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "'")) {
                roleExists = rs.next();
            }
            String quotedPassword = "'" + password.replace("'", "''") + "'";
            s.execute((roleExists ? "ALTER" : "CREATE") + " ROLE " + owner + " LOGIN PASSWORD " + quotedPassword);
            boolean dbExists;
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                dbExists = rs.next();
            }
            if (!dbExists) {
                s.execute("CREATE DATABASE " + database + " OWNER " + owner);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare database " + database + ": " + e.getMessage(), e);
        }
    }

    static String requireIdentifier(String name) {
        if (name == null || !name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain PostgreSQL identifier: " + name);
        }
        return name;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        }
    }
}
