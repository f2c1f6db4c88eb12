package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.client.CatalogClient;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ChunkResult;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.batch.worker.ItemOutcome;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.Sku;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The shape shared by operations on catalogue items (price, stock, edit, status, tags): read
 * the chunk's items (one GetItems), record each one's version and before-values, make the
 * one set-based command, read the items again for the after-values.
 *
 * Exactly once across a crash: an item claimed again whose recorded version differs from
 * its current one was changed by the interrupted call, so it is recorded as succeeded and
 * not sent again. (A change by someone else in that window would be taken for ours; the
 * window is one chunk's call.)
 */
public abstract class CatalogueItemWorker extends BatchWorker {

    @Inject
    protected CatalogClient catalog;

    /** The values this operation changes, as JSON, for before/after and undo. */
    protected abstract String project(ItemSnapshot item, Map<String, Object> payload);

    /**
     * The after-value of a row the command changed, as {@link #project} would show the item read
     * again, told from the command's reply and the item before; null when the reply cannot tell
     * (the item is then read again).
     */
    protected String projectAfter(ItemSnapshot before, ItemResult result, Map<String, Object> payload) {
        return null;
    }

    /** The one command for these items; results in request order. */
    protected abstract ItemResults call(Chunk chunk, List<ClaimedItem> items, Map<Long, ItemSnapshot> current);

    @Override
    public ChunkResult apply(Chunk chunk) {
        List<Long> ids = new ArrayList<>(new LinkedHashSet<>(chunk.items().stream().map(ClaimedItem::targetId).toList()));
        Map<Long, ItemSnapshot> before = catalog.getItems(ids);
        List<ItemOutcome> out = new ArrayList<>();
        List<ClaimedItem> send = new ArrayList<>();
        for (ClaimedItem i : chunk.items()) {
            ItemSnapshot s = before.get(i.targetId());
            if (s == null) {
                out.add(ItemOutcome.failed(i.rowNo(), "NOT_FOUND", "item_id", "no item " + i.targetId()));
            } else if (!chunk.dryRun() && i.preVersion() != null && s.getVersion() != i.preVersion()) {
                out.add(ItemOutcome.succeeded(i.rowNo(), i.beforeJson(), project(s, i.payload())));
            } else {
                send.add(i);
            }
        }
        if (send.isEmpty()) {
            return ChunkResult.of(out);
        }
        String[] befores = new String[send.size()];
        for (int k = 0; k < send.size(); k++) {
            ClaimedItem i = send.get(k);
            befores[k] = project(before.get(i.targetId()), i.payload());
        }
        if (!chunk.dryRun()) {
            int[] rows = new int[send.size()];
            long[] versions = new long[send.size()];
            for (int k = 0; k < send.size(); k++) {
                ClaimedItem i = send.get(k);
                rows[k] = i.rowNo();
                versions[k] = before.get(i.targetId()).getVersion();
            }
            chunk.prepared().record(rows, versions, befores);
        }
        ItemResults results = call(chunk, send, before);
        // After-values: from the command's reply where the operation can tell them from it (one
        // row per item in the chunk), else read the changed items again (one GetItems).
        Map<Long, Integer> rowsPerItem = new java.util.HashMap<>();
        send.forEach(i -> rowsPerItem.merge(i.targetId(), 1, Integer::sum));
        String[] replied = new String[send.size()];
        List<Long> changed = new ArrayList<>();
        for (int k = 0; k < send.size() && k < results.getResultsCount(); k++) {
            ItemResult r = results.getResults(k);
            ClaimedItem i = send.get(k);
            if (!r.getOk() || chunk.dryRun()) {
                continue;
            }
            if (rowsPerItem.get(i.targetId()) == 1) {
                replied[k] = projectAfter(before.get(i.targetId()), r, i.payload());
            }
            if (replied[k] == null) {
                changed.add(r.getItemId());
            }
        }
        Map<Long, ItemSnapshot> after = chunk.dryRun() || changed.isEmpty() ? Map.of()
                : catalog.getItems(new ArrayList<>(new LinkedHashSet<>(changed)));
        for (int k = 0; k < send.size(); k++) {
            ClaimedItem i = send.get(k);
            ItemResult r = k < results.getResultsCount() ? results.getResults(k) : null;
            String b = befores[k];
            if (r == null) {
                out.add(ItemOutcome.retry(i.rowNo(), "NO_RESULT", "the catalogue gave no result for this item"));
            } else if (r.getOk()) {
                ItemSnapshot a = after.get(i.targetId());
                String afterJson = replied[k] != null ? replied[k]
                        : chunk.dryRun() || a == null ? emptyToNull(r.getAfterJson()) : project(a, i.payload());
                out.add(ItemOutcome.succeeded(i.rowNo(), b, afterJson));
            } else if (r.getRetryable()) {
                out.add(ItemOutcome.retry(i.rowNo(), r.getErrorCode(), r.getErrorMessage()));
            } else {
                out.add(ItemOutcome.failed(i.rowNo(), r.getErrorCode(), emptyToNull(r.getErrorField()), r.getErrorMessage())
                        .withBefore(b));
            }
        }
        return ChunkResult.of(out);
    }

    /** Results of a flattened request (several changes per item) folded back to one per item: ok when all are. */
    protected static ItemResults fold(List<ClaimedItem> items, List<Integer> owner, ItemResults flat) {
        ItemResult[] per = new ItemResult[items.size()];
        for (int k = 0; k < flat.getResultsCount() && k < owner.size(); k++) {
            ItemResult r = flat.getResults(k);
            int o = owner.get(k);
            if (per[o] == null || (per[o].getOk() && !r.getOk())) {
                per[o] = r;
            }
        }
        ItemResults.Builder b = ItemResults.newBuilder();
        for (int k = 0; k < per.length; k++) {
            b.addResults(per[k] != null ? per[k] : ItemResult.newBuilder().setItemId(items.get(k).targetId()).setOk(false)
                    .setErrorCode("NO_RESULT").setRetryable(true).build());
        }
        return b.build();
    }

    /**
     * One command per group of positions (items asking for the same change): each command's
     * results land at its positions, in order. {@code per} may hold results decided before
     * (refused up front); a position no command answered is refused NO_RESULT.
     */
    protected static <K> ItemResults callPerGroup(List<ClaimedItem> items, ItemResult[] per, Map<K, List<Integer>> groups,
                                                  BiFunction<K, List<Long>, ItemResults> command) {
        for (Map.Entry<K, List<Integer>> g : groups.entrySet()) {
            ItemResults res = command.apply(g.getKey(), g.getValue().stream().map(k -> items.get(k).targetId()).toList());
            for (int j = 0; j < g.getValue().size() && j < res.getResultsCount(); j++) {
                per[g.getValue().get(j)] = res.getResults(j);
            }
        }
        ItemResults.Builder b = ItemResults.newBuilder();
        for (int k = 0; k < per.length; k++) {
            b.addResults(per[k] != null ? per[k] : refused(items.get(k).targetId(), "NO_RESULT", "no result"));
        }
        return b.build();
    }

    /** A row's changes: the undo form lists several per item ("changes"), a sheet row is one. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> changes(Map<String, Object> payload) {
        Object list = payload.get("changes");
        return list instanceof List<?> l ? (List<Map<String, Object>>) l : List.of(payload);
    }

    static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    /** The SKUs a row names (sku_id 0: every SKU of the item), each as {@code view} shows it, as {"skus": [...]}. */
    static String skus(ItemSnapshot item, Map<String, Object> payload, Function<Sku, Map<String, Object>> view) {
        long sku = num(payload.get("sku_id"));
        List<Map<String, Object>> skus = new ArrayList<>();
        for (Sku s : item.getSkusList()) {
            if (sku == 0 || s.getSkuId() == sku) {
                skus.add(view.apply(s));
            }
        }
        return Json.write(Map.of("skus", skus));
    }

    /**
     * The undo of a per-SKU change: every SKU of the before-value set back to its {@code key},
     * expecting the value this batch left (the catalogue refuses with CONFLICT where it changed
     * since). {@code setBack} adds the operation's own fields for the value to set.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> undoPerSku(Map<String, Object> payload, String beforeJson, String afterJson, String key,
                                          BiConsumer<Map<String, Object>, Long> setBack) {
        Map<Long, Long> after = new LinkedHashMap<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) Json.map(afterJson).getOrDefault("skus", List.of())) {
            after.put(num(s.get("sku_id")), num(s.get(key)));
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) Json.map(beforeJson).getOrDefault("skus", List.of())) {
            long skuId = num(s.get("sku_id"));
            Map<String, Object> ch = new LinkedHashMap<>();
            ch.put("sku_id", skuId);
            setBack.accept(ch, num(s.get(key)));
            ch.put("has_expected", true);
            ch.put("expected", after.getOrDefault(skuId, 0L));
            changes.add(ch);
        }
        Map<String, Object> p = new LinkedHashMap<>(payload);
        p.put("changes", changes);
        return p;
    }

    protected static ItemResult refused(long itemId, String code, String message) {
        return ItemResult.newBuilder().setItemId(itemId).setOk(false).setErrorCode(code).setErrorMessage(message).build();
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
