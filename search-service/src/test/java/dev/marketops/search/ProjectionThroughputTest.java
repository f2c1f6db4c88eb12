package dev.marketops.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.projection.RedisProjection;
import dev.marketops.search.reconcile.DriftReport;
import dev.marketops.search.reconcile.Reconciler;
import dev.marketops.search.reconcile.ReconciliationScope;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Figures for the docs (logged, not asserted): 5,000 items projected in chunks of 500 (one
 * Redis pipeline and one bulk request each, as a worker's poll), then reconciled in pages of 500.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class ProjectionThroughputTest {

    private static final Logger LOG = Logger.getLogger(ProjectionThroughputTest.class);
    private static final int ITEMS = 5_000, CHUNK = 500;

    @Inject
    RedisProjection redis;
    @Inject
    SearchIndex index;
    @Inject
    Reconciler reconciler;

    @Test
    void fiveThousandItemsAreProjectedAndReconciledInChunks() {
        List<ItemSnapshot> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(Snapshots.item(List.of(1200L, 1300L, 2100L, 3100L, 4100L).get(i % 5)).price(100 + i).stock(i).build());
        }
        List<List<ItemSnapshot>> pages = new ArrayList<>();
        for (int from = 0; from < ITEMS; from += CHUNK) {
            pages.add(items.subList(from, from + CHUNK));
        }
        long t0 = System.nanoTime();
        int written = 0;
        List<Long> chunkMillis = new ArrayList<>();
        for (List<ItemSnapshot> page : pages) {
            long c0 = System.nanoTime();
            written += redis.write(ItemProjection.inScope(page), false);
            chunkMillis.add((System.nanoTime() - c0) / 1_000_000);
        }
        LOG.infof("FIGURES Redis chunks (ms): %s", chunkMillis);
        long t1 = System.nanoTime();
        int indexed = 0;
        for (List<ItemSnapshot> page : pages) {
            indexed += index.bulkIndex(ItemProjection.inScope(page), false).written();
        }
        long t2 = System.nanoTime();
        DriftReport report = reconciler.reconcile(pages.iterator(),
                new ReconciliationScope(items.get(0).getItemId() - 1, items.get(ITEMS - 1).getItemId(), List.of(), null), r -> {
                });
        long t3 = System.nanoTime();
        assertEquals(ITEMS, written);
        assertEquals(ITEMS, indexed);
        assertEquals(ITEMS, report.scanned());
        LOG.infof("FIGURES %d items: Redis %d ms, index %d ms, reconcile %d ms, drift %s", ITEMS,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, report.counts());
    }
}
