package dev.marketops.search;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The sync workers on, against the real catalogue; a long L1 TTL so only events can drop an entry. */
public class CatalogueFleetProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming.cache-sync.enabled", "true",
                "mp.messaging.incoming.es-sync.enabled", "true",
                "marketops.search.l1.ttl", "PT10M");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(CatalogueFleetResource.class));
    }
}
