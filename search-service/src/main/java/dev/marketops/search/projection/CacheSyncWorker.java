package dev.marketops.search.projection;

import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.search.catalog.CatalogClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the Redis projection in step with the catalogue (seed 9.3.1). Each poll's records
 * become one GetItems call for their distinct items and one pipeline of version-guarded
 * writes. No dedupe table: the write is of the current snapshot and guarded by version, so a
 * redelivered or reordered event rewrites nothing.
 */
@ApplicationScoped
public class CacheSyncWorker {

    private static final Logger LOG = Logger.getLogger(CacheSyncWorker.class);

    @Inject
    CatalogClient catalog;
    @Inject
    RedisProjection redis;
    @Inject
    MeterRegistry meters;

    @Incoming("cache-sync")
    @Blocking
    public void sync(ConsumerRecords<String, byte[]> records) {
        Set<Long> ids = ChangeEvents.itemIds(records,
                () -> meters.counter("marketops_search_unreadable_events_total", "worker", "cache-sync").increment());
        if (ids.isEmpty()) {
            return;
        }
        ItemSnapshots found = catalog.getItems(ids);
        int written = redis.write(ItemProjection.inScope(found.getItemsList()), false);
        meters.counter("marketops_search_cache_sync_items_total", "outcome", "written").increment(written);
        if (found.getMissingItemIdsCount() > 0) {
            meters.counter("marketops_search_cache_sync_items_total", "outcome", "missing").increment(found.getMissingItemIdsCount());
            LOG.debugf("catalogue does not know items %s", found.getMissingItemIdsList());
        }
    }
}
