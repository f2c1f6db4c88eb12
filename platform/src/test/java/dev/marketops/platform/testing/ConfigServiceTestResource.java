package dev.marketops.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Runs the real config-service next to the service under test and points its gRPC client at it. */
public class ConfigServiceTestResource implements QuarkusTestResourceLifecycleManager {

    static final int HTTP_PORT = 18086;
    static final int GRPC_PORT = 18096;

    private ServiceProcess config;

    @Override
    public Map<String, String> start() {
        config = ServiceProcess.start("config-service", HTTP_PORT, Map.of(
                "quarkus.grpc.server.port", String.valueOf(GRPC_PORT),
                "quarkus.grpc.server.test-port", String.valueOf(GRPC_PORT),
                "quarkus.http.test-port", String.valueOf(HTTP_PORT),
                "marketops.outbox.enabled", "false"));
        // In test mode a gRPC client may use its test-port, so both point at the real peer.
        return Map.of("quarkus.grpc.clients.config.port", String.valueOf(GRPC_PORT),
                "quarkus.grpc.clients.config.test-port", String.valueOf(GRPC_PORT));
    }

    @Override
    public void stop() {
        if (config != null) {
            config.close();
        }
    }
}
