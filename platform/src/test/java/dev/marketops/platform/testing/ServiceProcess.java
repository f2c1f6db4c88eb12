package dev.marketops.platform.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts another service of the fleet as a real process from its built
 * {@code target/quarkus-app/quarkus-run.jar}, for tests that need a real peer (e.g. the
 * listing-service tests need config-service's gRPC). Waits for /q/health/ready.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** {@code module} is the sibling Maven module's directory name, e.g. "config-service". */
    public static ServiceProcess start(String module, int httpPort, Map<String, String> props) {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build " + module + " first (mvn install builds modules in order)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        // The peer shares the test database, so it must use the test profile's settings.
        cmd.add("-Dquarkus.profile=test");
        cmd.add("-Dquarkus.management.port=" + freePort());
        Tokens.peerProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        try {
            Path log = Files.createTempFile(module + "-", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServiceProcess sp = new ServiceProcess(module, p, log);
            sp.awaitReady(httpPort, Duration.ofSeconds(60));
            return sp;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + module, e);
        }
    }

    /** A TCP port that was free a moment ago (the OS picks it). */
    public static int freePort() {
        // The OS may hand a just-closed port out again: never give the same port twice in one JVM
        // (a peer's HTTP, gRPC and management ports are picked one after the other).
        for (int attempt = 0; attempt < 50; attempt++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                s.setReuseAddress(true);
                if (GIVEN.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port not handed out before");
    }

    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Like kill -9: the process gets no chance to finish anything (crash tests). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the process's log, for assertion messages. */
    public String logTail() {
        return tail();
    }

    /**
     * Whether the process logged this text anywhere (not only in the tail: a shutdown's Kafka
     * client warnings come with long stack traces after the line a test looks for).
     */
    public boolean logged(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitReady(int port, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited early; log: " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException(name + " not ready within " + timeout + "; log: " + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
