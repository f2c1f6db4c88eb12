package dev.marketops.search.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.projection.RedisProjection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Compares the catalogue, page by page, with Redis (one pipeline of reads per page) and the
 * index (one _mget per page), and repairs what differs: the catalogue is the truth (seed
 * 4.4.3 "mysql_to_redis"). Repairs are version-guarded with "equal or newer", so a repair
 * never replaces what a sync worker wrote from a newer snapshot in the meantime.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int ORPHAN_LIMIT = 1_000;

    @Inject
    RedisProjection redis;
    @Inject
    SearchIndex index;

    /** Runs over every page; {@code afterPage} sees the report after each page (progress). */
    public DriftReport reconcile(Iterator<List<ItemSnapshot>> pages, ReconciliationScope scope, Consumer<DriftReport> afterPage) {
        DriftReport report = new DriftReport();
        long previous = scope.after();
        long until = scope.until();
        while (pages.hasNext()) {
            List<ItemSnapshot> page = pages.next().stream().filter(s -> s.getItemId() <= until).toList();
            if (page.isEmpty()) {
                if (until < Long.MAX_VALUE) {
                    break; // past the end of the range (pages come in item id order)
                }
                continue;
            }
            long last = page.get(page.size() - 1).getItemId();
            reconcilePage(page, report);
            if (scope.findsOrphans()) {
                orphans(previous, last, page, report);
            }
            previous = last;
            afterPage.accept(report);
            if (last >= until) {
                break;
            }
        }
        if (scope.findsOrphans()) {
            orphans(previous, until, List.of(), report);
        }
        return report;
    }

    void reconcilePage(List<ItemSnapshot> page, DriftReport report) {
        List<Long> ids = page.stream().map(ItemSnapshot::getItemId).toList();
        Map<Long, Map<String, String>> hashes = redis.read(ids);
        Map<Long, JsonNode> docs = index.get(ids);
        List<ItemProjection> toRedis = new ArrayList<>();
        List<ItemProjection> toIndex = new ArrayList<>();
        List<Long> notProjected = new ArrayList<>();
        for (ItemSnapshot s : page) {
            long id = s.getItemId();
            if (!ItemProjection.inScope(s)) {
                if (hashes.containsKey(id) || docs.containsKey(id)) {
                    report.found(DriftKind.ORPHAN, id);
                    notProjected.add(id);
                }
                continue;
            }
            ItemProjection truth = ItemProjection.of(s);
            Set<DriftKind> inRedis = Drift.ofRedis(truth, hashes.get(id));
            Set<DriftKind> inIndex = Drift.ofIndex(truth, docs.get(id));
            inRedis.forEach(k -> report.found(k, id));
            inIndex.forEach(k -> report.found(k, id));
            if (!inRedis.isEmpty()) {
                toRedis.add(truth);
            }
            if (!inIndex.isEmpty()) {
                toIndex.add(truth);
            }
        }
        report.scanned(page.size());
        report.repaired(redis.write(toRedis, true));
        SearchIndex.BulkOutcome indexed = index.bulkIndex(toIndex, true);
        report.repaired(indexed.written());
        if (!indexed.conflicts().isEmpty() || !indexed.failures().isEmpty()) {
            // A conflict here means the index holds a version the catalogue has not reached: left for a person to look at.
            LOG.warnf("reconciliation could not reindex %s (newer in index) / %s", indexed.conflicts(), indexed.failures());
        }
        report.repaired(removeOrphans(notProjected));
    }

    /** Index documents in (after, upTo] that the catalogue's page did not name: items the catalogue does not have. */
    private void orphans(long after, long upTo, List<ItemSnapshot> page, DriftReport report) {
        Set<Long> known = new HashSet<>();
        page.forEach(s -> known.add(s.getItemId()));
        while (true) {
            List<Long> orphans = index.idsInRangeExcept(after, upTo, known, ORPHAN_LIMIT);
            if (orphans.isEmpty()) {
                return;
            }
            orphans.forEach(id -> report.found(DriftKind.ORPHAN, id));
            report.repaired(removeOrphans(orphans));
            if (orphans.size() < ORPHAN_LIMIT) {
                return;
            }
            index.refresh(); // the deletions must be invisible before the next round
        }
    }

    private int removeOrphans(List<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        redis.delete(ids);
        return index.bulkDelete(ids);
    }
}
