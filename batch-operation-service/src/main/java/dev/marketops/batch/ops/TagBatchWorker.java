package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tag batches (tag_batch_add, tag_batch_remove): tags per row (comma separated) or for every
 * row (params.tags), one catalogue call per distinct tag set. The catalogue checks the codes
 * against config-service's tag table and refuses a row whose tags are unknown or inactive
 * (UNKNOWN_TAG / TAG_INACTIVE, field tags).
 */
abstract class TagBatchWorker extends CatalogueItemWorker {

    /** The catalogue command for these items and tags. */
    protected abstract ItemResults command(Chunk chunk, List<String> tags, List<Long> itemIds);

    @Override
    public List<Column> columns() {
        return List.of(Column.required("item_id", Kind.ID), Column.optional("tags", Kind.TEXT));
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        long itemId = row.id("item_id");
        String tags = row.text("tags", params.text("tags", ""));
        List<String> list = Arrays.stream(tags.split("[,;，]")).map(String::trim).filter(t -> !t.isEmpty()).distinct().sorted().toList();
        if (list.isEmpty()) {
            throw row.error("tags", "MISSING_VALUE", "no tags in the row and none in params.tags");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", itemId);
        p.put("tags", list);
        return new ParsedRow("item", itemId, p, Long.toString(itemId));
    }

    @Override
    @SuppressWarnings("unchecked")
    protected ItemResults call(Chunk chunk, List<ClaimedItem> items, Map<Long, ItemSnapshot> current) {
        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        for (int k = 0; k < items.size(); k++) {
            groups.computeIfAbsent((List<String>) items.get(k).payload().get("tags"), t -> new ArrayList<>()).add(k);
        }
        return callPerGroup(items, new ItemResult[items.size()], groups, (tags, ids) -> command(chunk, tags, ids));
    }

    @Override
    protected String project(ItemSnapshot item, Map<String, Object> payload) {
        return Json.write(Map.of("tags", item.getTagsList()));
    }
}
