package dev.marketops.search.fault;

import dev.marketops.search.CatalogueFleetResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The sync workers on against the real catalogue, and Redis a private server the test may flush. */
public class RedisFlushProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming.cache-sync.enabled", "true",
                "mp.messaging.incoming.es-sync.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PrivateRedisResource.class), new TestResourceEntry(CatalogueFleetResource.class));
    }
}
