package dev.marketops.search.fault;

import dev.marketops.platform.testing.Commands;
import dev.marketops.platform.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of this test's own (redis-server on a free port, no persistence), so that a fault test
 * may flush it without touching the shared Redis everyone else uses.
 */
public class PrivateRedisResource implements QuarkusTestResourceLifecycleManager {

    private Process redis;
    private int port;

    @Override
    public Map<String, String> start() {
        port = ServiceProcess.freePort();
        try {
            Path dir = Files.createDirectories(Path.of("target", "private-redis-" + port));
            redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
        awaitPong();
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port, "marketops.test.redis-port", Integer.toString(port));
    }

    /** Runs redis-cli against the private server (e.g. FLUSHALL) and answers its output. */
    public static String cli(int port, String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(command));
        return Commands.run(cmd, null, java.time.Duration.ofSeconds(10)).trim();
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!redis.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + redis.exitValue());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                if ("PONG".equals(cli(port, "PING"))) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("redis-server on " + port + " not answering PING");
    }

    @Override
    public void stop() {
        Commands.stop(redis, java.time.Duration.ofSeconds(10));
    }
}
