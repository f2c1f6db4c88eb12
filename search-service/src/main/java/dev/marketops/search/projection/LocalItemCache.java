package dev.marketops.search.projection;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * L1 of the read projection: a small bounded map in this process in front of Redis. The
 * change events drop entries ({@link CacheInvalidationListener}); the short TTL bounds the
 * window in which a reader may refill an entry from Redis just before CacheSyncWorker
 * writes the newer hash.
 */
@ApplicationScoped
public class LocalItemCache {

    private record Entry(ItemView view, long expiresAt) {
    }

    @ConfigProperty(name = "marketops.search.l1.ttl", defaultValue = "PT5S")
    Duration ttl;
    @ConfigProperty(name = "marketops.search.l1.max-entries", defaultValue = "50000")
    int maxEntries;

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    public ItemView get(long itemId) {
        Entry e = entries.get(itemId);
        if (e == null) {
            return null;
        }
        if (e.expiresAt() < System.currentTimeMillis()) {
            entries.remove(itemId, e);
            return null;
        }
        return e.view();
    }

    public void put(ItemView view) {
        if (entries.size() >= maxEntries) {
            // Rare (the TTL keeps the map small); dropping everything is cheaper than tracking recency.
            entries.clear();
        }
        entries.put(view.itemId(), new Entry(view, System.currentTimeMillis() + ttl.toMillis()));
    }

    public void invalidate(long itemId) {
        entries.remove(itemId);
    }

    public void invalidateAll() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
