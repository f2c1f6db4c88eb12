package dev.marketops.search;

import dev.marketops.platform.testing.ListingFleetTestResource;
import java.util.HashMap;
import java.util.Map;

/** config-service + listing-service as real processes; our "catalog" client points at listing-service too. */
public class CatalogueFleetResource extends ListingFleetTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> out = new HashMap<>(super.start());
        out.put("quarkus.grpc.clients.catalog.port", out.get("quarkus.grpc.clients.listing.port"));
        out.put("quarkus.grpc.clients.catalog.test-port", out.get("quarkus.grpc.clients.listing.port"));
        return out;
    }
}
