package dev.marketops.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation against catalogue pages built here (as StreamItems would send them): drift
 * injected straight into Redis and the index is found, counted by kind and repaired.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class ReconcilerTest {

    @Inject
    Reconciler reconciler;
    @Inject
    RedisProjection projection;
    @Inject
    SearchIndex index;
    @Inject
    Redis redis;
    @Inject
    org.elasticsearch.client.RestClient es;

    @Test
    void driftInRedisAndTheIndexIsFoundCountedAndRepaired() {
        // given: seven items projected as the catalogue has them, in two pages
        List<ItemSnapshot> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(Snapshots.item(i % 2 == 0 ? 1200 : 2100).version(4).price(1000 + i).stock(10 + i).build());
        }
        ItemSnapshot orphan = Snapshots.item(1300).build(); // in the projections, unknown to the catalogue
        ItemSnapshot draft = Snapshots.item(1200).status("draft").neverOnline().build(); // in the catalogue, never shown
        List<ItemProjection> projected = new ArrayList<>(ItemProjection.inScope(items));
        projected.add(ItemProjection.of(orphan));
        projection.write(projected, false);
        index.bulkIndex(projected, false);
        long first = items.get(0).getItemId();
        ItemSnapshot wrongPrice = items.get(1), missingKey = items.get(2), wrongStatus = items.get(3);
        ItemSnapshot wrongStock = items.get(4), missingDoc = items.get(5);

        // and drift injected directly
        send(Request.cmd(Command.HSET).arg(projection.key(wrongPrice.getItemId())).arg("price").arg("1"));
        send(Request.cmd(Command.DEL).arg(projection.key(missingKey.getItemId())));
        send(Request.cmd(Command.HSET).arg(projection.key(wrongStatus.getItemId())).arg("status").arg("offline"));
        ItemProjection stale = ItemProjection.of(wrongStock.toBuilder().setTotalStock(999).build());
        assertEquals(1, index.bulkIndex(List.of(stale), true).written());
        deleteDocument(missingDoc.getItemId(), missingDoc.getVersion());
        index.refresh();

        // when: the catalogue's pages are compared (the orphan's id lies inside the range)
        List<ItemSnapshot> catalogue = new ArrayList<>(items);
        catalogue.add(draft);
        ReconciliationScope scope = new ReconciliationScope(first - 1, draft.getItemId(), List.of(), null);
        DriftReport report = reconciler.reconcile(List.of(catalogue.subList(0, 4), catalogue.subList(4, 8)).iterator(), scope, r -> {
        });

        // then
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String k : List.of("redis_missing", "redis_price", "redis_stock", "redis_status", "index_missing", "index_price",
                "index_stock", "index_status", "orphan")) {
            expected.put(k, 0L);
        }
        expected.put("redis_missing", 1L);
        expected.put("redis_price", 1L);
        expected.put("redis_status", 1L);
        expected.put("index_missing", 1L);
        expected.put("index_stock", 1L);
        expected.put("orphan", 1L);
        assertEquals(expected, report.counts());
        assertEquals(8, report.scanned());
        assertEquals(List.of(wrongPrice.getItemId()), report.samples().get("redis_price"));
        assertEquals(List.of(missingKey.getItemId()), report.samples().get("redis_missing"));
        assertEquals(List.of(wrongStock.getItemId()), report.samples().get("index_stock"));
        assertEquals(List.of(missingDoc.getItemId()), report.samples().get("index_missing"));
        assertEquals(List.of(orphan.getItemId()), report.samples().get("orphan"));

        // and everything is repaired: Redis and the index say what the catalogue says
        Map<Long, Map<String, String>> hashes = projection.read(items.stream().map(ItemSnapshot::getItemId).toList());
        assertEquals(Long.toString(wrongPrice.getMinPriceCents()), hashes.get(wrongPrice.getItemId()).get("price"));
        assertEquals("online", hashes.get(wrongStatus.getItemId()).get("status"));
        assertEquals(Long.toString(missingKey.getTotalStock()), hashes.get(missingKey.getItemId()).get("stock"));
        var docs = index.get(List.of(wrongStock.getItemId(), missingDoc.getItemId(), orphan.getItemId()));
        assertEquals(wrongStock.getTotalStock(), docs.get(wrongStock.getItemId()).path("stock").asLong());
        assertEquals(4, docs.get(missingDoc.getItemId()).path("_version").asLong(), "reindexed with the catalogue's version");
        assertNull(docs.get(orphan.getItemId()));
        assertNull(projection.read(List.of(orphan.getItemId())).get(orphan.getItemId()));

        // and a second run finds nothing
        index.refresh();
        DriftReport again = reconciler.reconcile(List.of(catalogue).iterator(), scope, r -> {
        });
        assertEquals(0L, again.counts().values().stream().mapToLong(Long::longValue).sum(), again.counts().toString());
    }

    /**
     * A lost document, deleted with its own version as an external version (the tombstone
     * keeps that version, so the repair at the same version is accepted; a plain delete would
     * leave a tombstone of version+1 that refuses the repair until the engine forgets it).
     */
    private void deleteDocument(long itemId, long version) {
        try {
            org.elasticsearch.client.Request r = new org.elasticsearch.client.Request("DELETE", "/" + index.name() + "/_doc/" + itemId);
            r.addParameter("version", Long.toString(version));
            r.addParameter("version_type", "external_gte");
            es.performRequest(r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void send(Request r) {
        redis.send(r).await().indefinitely();
    }
}
