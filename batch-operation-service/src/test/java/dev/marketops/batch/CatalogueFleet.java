package dev.marketops.batch;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * config-service and listing-service (the catalogue) as real processes, like the platform's
 * ListingFleetTestResource, except that listing-service skips Flyway validation: the shared
 * test database may already hold a newer listing migration than the listing jar at hand
 * (another module's tests migrate it while that module is being worked on), and the
 * catalogue commands batches use do not depend on it.
 */
public class CatalogueFleet implements QuarkusTestResourceLifecycleManager {

    private final ConfigServiceTestResource config = new ConfigServiceTestResource();
    private ServiceProcess listing;
    private int listingHttp;
    private Map<String, String> listingProps;

    @Override
    public Map<String, String> start() {
        Map<String, String> configPorts = config.start();
        String configPort = configPorts.get("quarkus.grpc.clients.config.port");
        listingHttp = ServiceProcess.freePort();
        int listingGrpc = ServiceProcess.freePort();
        listingProps = Map.of(
                "quarkus.grpc.server.port", String.valueOf(listingGrpc),
                "quarkus.grpc.server.test-port", String.valueOf(listingGrpc),
                "quarkus.http.test-port", String.valueOf(listingHttp),
                "quarkus.grpc.clients.config.port", configPort,
                "quarkus.grpc.clients.config.test-port", configPort,
                "quarkus.flyway.validate-on-migrate", "false");
        listing = ServiceProcess.start("listing-service", listingHttp, listingProps);
        Map<String, String> out = new HashMap<>(configPorts);
        out.put("quarkus.grpc.clients.listing.port", String.valueOf(listingGrpc));
        out.put("quarkus.grpc.clients.listing.test-port", String.valueOf(listingGrpc));
        out.put("marketops.test.listing-url", "http://127.0.0.1:" + listingHttp);
        return out;
    }

    /** kill -9 of listing-service (fault tests): it gets no chance to finish anything. */
    public void killListing() {
        listing.kill();
    }

    /** listing-service again, on the same ports (what a restarted pod behind its Service looks like). */
    public void restartListing() {
        listing = ServiceProcess.start("listing-service", listingHttp, listingProps);
    }

    @Override
    public void stop() {
        if (listing != null) {
            listing.close();
        }
        config.stop();
    }
}
