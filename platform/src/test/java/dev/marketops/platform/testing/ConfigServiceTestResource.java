package dev.marketops.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Runs the real config-service next to the service under test and points its gRPC client at it. */
public class ConfigServiceTestResource implements QuarkusTestResourceLifecycleManager {

    // Free ports chosen at start, so that test runs of different modules can share a machine.
    int httpPort;
    int grpcPort;

    private ServiceProcess config;

    @Override
    public Map<String, String> start() {
        httpPort = ServiceProcess.freePort();
        grpcPort = ServiceProcess.freePort();
        config = ServiceProcess.start("config-service", httpPort, Map.of(
                "quarkus.grpc.server.port", String.valueOf(grpcPort),
                "quarkus.grpc.server.test-port", String.valueOf(grpcPort),
                "quarkus.http.test-port", String.valueOf(httpPort),
                "marketops.outbox.enabled", "false",
                // A peer only answers queries: its ConfigPublishWorker would join config-service's own test group.
                "marketops.workers.config-publish-worker.enabled", "false"));
        // In test mode a gRPC client may use its test-port, so both point at the real peer.
        return Map.of("quarkus.grpc.clients.config.port", String.valueOf(grpcPort),
                "quarkus.grpc.clients.config.test-port", String.valueOf(grpcPort),
                "marketops.test.config-url", "http://127.0.0.1:" + httpPort);
    }

    @Override
    public void stop() {
        if (config != null) {
            config.close();
        }
    }
}
