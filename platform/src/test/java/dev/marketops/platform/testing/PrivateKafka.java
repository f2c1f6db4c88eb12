package dev.marketops.platform.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker (KRaft, one node) of this test's own, from the jars deploy/local/infra.sh
 * fetched into .local/kafka/lib, with its data under target/: a fault test may stop and start
 * it without touching the shared broker. Stopped and started again it keeps its data and ports,
 * as a restarted broker does.
 */
public final class PrivateKafka implements AutoCloseable {

    private final Path root = Path.of("").toAbsolutePath().getParent();
    private final Path lib = root.resolve(".local/kafka/lib");
    private final int port = ServiceProcess.freePort();
    private final int controllerPort = ServiceProcess.freePort();
    private final Path dir;
    private Process broker;

    public PrivateKafka() {
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: deploy/local/infra.sh up fetches the Kafka jars");
        }
        try {
            dir = Files.createDirectories(Path.of("target", "private-kafka-" + port).toAbsolutePath());
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=3",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0", ""));
            String clusterId = run(List.of("kafka.tools.StorageTool", "random-uuid")).trim();
            run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", dir.resolve("server.properties").toString()));
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare the private Kafka", e);
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it accepts connections. */
    public void start() {
        List<String> cmd = java(List.of("-Xms128m", "-Xmx384m"));
        cmd.addAll(List.of("kafka.Kafka", dir.resolve("server.properties").toString()));
        try {
            broker = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.out").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the private Kafka", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening()) {
            if (!broker.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the private Kafka did not come up; see " + dir.resolve("kafka.out"));
            }
            sleep(200);
        }
    }

    /**
     * Creates these topics now (3 partitions each, as the broker's default), for a reader that must
     * be assigned their partitions before anything is written to them.
     */
    public void createTopics(String... names) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", bootstrap()))) {
            admin.createTopics(java.util.Arrays.stream(names).map(n -> new org.apache.kafka.clients.admin.NewTopic(n, 3, (short) 1))
                    .toList()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + java.util.Arrays.toString(names), e);
        }
    }

    /** A clean broker stop (SIGTERM: it closes its logs and leaves the cluster), waited for. */
    public void stop() {
        if (broker == null) {
            return;
        }
        Commands.stop(broker, java.time.Duration.ofSeconds(60));
        broker = null;
    }

    @Override
    public void close() {
        stop();
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> java(List<String> jvm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED",
                "-Dlog4j2.configurationFile=" + root.resolve("deploy/local/kafka/log4j2.properties"),
                "-Dkafka.logs.dir=" + dir.resolve("logs"), "-cp", lib + "/*"));
        return cmd;
    }

    private String run(List<String> args) {
        List<String> cmd = java(List.of("-Xmx128m"));
        cmd.addAll(args);
        return Commands.run(cmd, null, java.time.Duration.ofSeconds(60));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
