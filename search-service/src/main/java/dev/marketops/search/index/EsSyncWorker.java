package dev.marketops.search.index;

import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.search.catalog.CatalogClient;
import dev.marketops.search.projection.ChangeEvents;
import dev.marketops.search.projection.ItemProjection;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the search index in step with the catalogue (seed 9.3.2): one GetItems and one bulk
 * request per poll. External versions make the engine itself refuse an older snapshot (409),
 * which is the expected answer to a late event, not an error. Deleted items stay as
 * documents with status "removed" so operators can still find them.
 */
@ApplicationScoped
public class EsSyncWorker {

    @Inject
    CatalogClient catalog;
    @Inject
    SearchIndex index;
    @Inject
    MeterRegistry meters;

    @Incoming("es-sync")
    @Blocking
    public void sync(ConsumerRecords<String, byte[]> records) {
        Set<Long> ids = ChangeEvents.itemIds(records,
                () -> meters.counter("marketops_search_unreadable_events_total", "worker", "es-sync").increment());
        if (ids.isEmpty()) {
            return;
        }
        ItemSnapshots found = catalog.getItems(ids);
        SearchIndex.BulkOutcome outcome = index.bulkIndex(ItemProjection.inScope(found.getItemsList()), false);
        meters.counter("marketops_search_es_sync_items_total", "outcome", "written").increment(outcome.written());
        meters.counter("marketops_search_es_sync_items_total", "outcome", "already_newer").increment(outcome.conflicts().size());
        if (!outcome.failures().isEmpty()) {
            // The whole poll is retried / dead-lettered: re-indexing the written ones is harmless (409).
            throw new IllegalStateException("search index refused " + outcome.failures().size() + " items: " + outcome.failures());
        }
    }
}
