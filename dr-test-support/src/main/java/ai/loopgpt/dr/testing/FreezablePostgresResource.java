package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL server of the service's own, separate from the shared one, that a test can freeze
 * (SIGSTOP of the postmaster and every backend, as a hung VM or storage stall looks from outside) and
 * thaw again (SIGCONT).
 */
public class FreezablePostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres server;
    private static final String PASSWORD = UUID.randomUUID().toString();

    @Override
    public Map<String, String> start() {
        if (server == null) {
            server = EmbeddedPostgres.startTransient();
            server.ensureDatabase(PostgresResource.SERVICE_DATABASE, "dr", PASSWORD);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                thaw();
                server.close();
            }, "freezable-postgres-stop"));
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(PostgresResource.SERVICE_DATABASE),
                "quarkus.datasource.username", "dr",
                "quarkus.datasource.password", PASSWORD);
    }

    /** Stops the server's processes where they stand: connections stay open and nothing answers. */
    public static void freeze() {
        signal("-STOP");
    }

    /** Lets them run again. */
    public static void thaw() {
        signal("-CONT");
    }

    private static void signal(String signal) {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
        // The postmaster first, so that it starts no new backend meanwhile; a backend that just ended is fine.
        if (kill(signal, List.of(postmaster.pid())) != 0) {
            throw new IllegalStateException("kill " + signal + " " + postmaster.pid() + " failed");
        }
        kill(signal, postmaster.descendants().map(ProcessHandle::pid).toList());
    }

    private static int kill(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return 0;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static volatile Long postmaster;

    private static long postmasterPid() {
        if (postmaster == null) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW data_directory")) {
                rs.next();
                postmaster = Long.parseLong(Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).strip());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot find the postmaster: " + e.getMessage(), e);
            }
        }
        return postmaster;
    }

    @Override
    public void stop() {
        // Kept for the JVM; the shutdown hook stops it.
    }
}
