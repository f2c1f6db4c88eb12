package dev.marketops.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs the real config-service and listing-service (pointed at that config-service) next to
 * the service under test, for tests of services that drive listings (audit, publish).
 */
public class ListingFleetTestResource implements QuarkusTestResourceLifecycleManager {

    int listingHttp;
    int listingGrpc;

    private final ConfigServiceTestResource config = new ConfigServiceTestResource();
    private final Map<String, String> listingInfra;
    private ServiceProcess listing;

    public ListingFleetTestResource() {
        this(Map.of());
    }

    /**
     * With properties of listing-service's own (a fault test points it at a private database,
     * {@code marketops.db.port}); config-service stays on the shared servers and answers lookups only.
     */
    public ListingFleetTestResource(Map<String, String> listingInfra) {
        this.listingInfra = Map.copyOf(listingInfra);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> configPorts = config.start();
        String configPort = String.valueOf(config.grpcPort);
        listingHttp = ServiceProcess.freePort();
        listingGrpc = ServiceProcess.freePort();
        Map<String, String> props = new java.util.HashMap<>(listingInfra);
        props.putAll(Map.of(
                "quarkus.grpc.server.port", String.valueOf(listingGrpc),
                "quarkus.grpc.server.test-port", String.valueOf(listingGrpc),
                "quarkus.http.test-port", String.valueOf(listingHttp),
                "quarkus.grpc.clients.config.port", configPort,
                "quarkus.grpc.clients.config.test-port", configPort));
        listing = ServiceProcess.start("listing-service", listingHttp, props);
        Map<String, String> out = new java.util.HashMap<>(configPorts);
        out.put("quarkus.grpc.clients.listing.port", String.valueOf(listingGrpc));
        out.put("quarkus.grpc.clients.listing.test-port", String.valueOf(listingGrpc));
        out.put("marketops.test.listing-url", "http://127.0.0.1:" + listingHttp);
        return out;
    }

    @Override
    public void stop() {
        if (listing != null) {
            listing.close();
        }
        config.stop();
    }
}
