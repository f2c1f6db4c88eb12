package dev.marketops.platform.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of this test's own (initdb + pg_ctl on a free port, trust auth, data under
 * target/), with the test database the services expect: a fault test may restart it without
 * touching the shared server. Run as the postgres user when the test runs as root (initdb
 * refuses root).
 */
public final class PrivatePostgres implements AutoCloseable {

    public static final String DATABASE = "marketops_test";

    private final int port = ServiceProcess.freePort();
    private final Path dir;
    private final Path bin;
    private boolean running;

    public PrivatePostgres() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IllegalStateException("no /usr/lib/postgresql/*/bin/pg_ctl"));
            dir = Path.of("target", "private-pg-" + port).toAbsolutePath();
            // an earlier run that drew the same free port left its cluster here: initdb refuses a non-empty directory
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
            if (asRoot()) {
                exec(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare the private PostgreSQL", e);
        }
        exec(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-sync"), true);
    }

    public int port() {
        return port;
    }

    /** Starts the server and creates the services' database (once). */
    public void start() {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("postgres.log").toString(),
                "-o", options(), "-w", "-t", "60", "start"), true);
        running = true;
        if (!exec(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-tAc",
                "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'"), true).contains("1")) {
            exec(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", DATABASE), true);
        }
    }

    /** What {@code pg_ctlcluster ... restart} does: a fast shutdown (every session cut) and a start. */
    public void restart() {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("postgres.log").toString(),
                "-o", options(), "-m", "fast", "-w", "-t", "60", "restart"), true);
    }

    @Override
    public void close() {
        if (running) {
            running = false;
            exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), true);
        }
    }

    private String options() {
        // fsync off: a test cluster, thrown away; the socket in the data dir, not /var/run (shared).
        return "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private String exec(List<String> command, boolean asPostgres) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres && asRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        return Commands.run(cmd, dir, java.time.Duration.ofSeconds(90));
    }
}
