package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.proto.catalog.EditItemsRequest;
import dev.marketops.proto.catalog.ItemEdit;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** item_edit: a new title and/or any attribute columns (validated by the category's rules in the catalogue). */
@ApplicationScoped
public class ItemEditWorker extends CatalogueItemWorker {

    @Override
    public OperationType type() {
        return OperationType.ITEM_EDIT;
    }

    @Override
    public String codePrefix() {
        return "EDIT";
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.required("item_id", Kind.ID), Column.optional("title", Kind.TEXT));
    }

    @Override
    public boolean openColumns() {
        return true;
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        long itemId = row.id("item_id");
        if (!row.has("title") && row.extra().isEmpty()) {
            throw row.error("title", "NOTHING_TO_CHANGE", "the row changes neither the title nor an attribute");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", itemId);
        p.put("title", row.text("title", ""));
        p.put("attributes", new LinkedHashMap<>(row.extra()));
        return new ParsedRow("item", itemId, p, Long.toString(itemId));
    }

    @Override
    @SuppressWarnings("unchecked")
    protected ItemResults call(Chunk chunk, List<ClaimedItem> items, Map<Long, ItemSnapshot> current) {
        EditItemsRequest.Builder r = EditItemsRequest.newBuilder().setBatchId(chunk.batchId()).setOperatorId(chunk.createdBy())
                .setReason(chunk.params().text("reason", "batch " + chunk.batchCode())).setDryRun(chunk.dryRun());
        for (ClaimedItem i : items) {
            ItemEdit.Builder e = ItemEdit.newBuilder().setIndex(i.rowNo()).setItemId(i.targetId())
                    .setTitle(String.valueOf(i.payload().getOrDefault("title", "")))
                    .setAttributesJson(Json.write(i.payload().getOrDefault("attributes", Map.of())));
            if (i.payload().get("expected") != null) {
                e.setHasExpected(true).setExpectedJson(Json.write(i.payload().get("expected")));
            }
            r.addEdits(e);
        }
        return catalog.editItems(r.build());
    }

    @Override
    @SuppressWarnings("unchecked")
    protected String project(ItemSnapshot item, Map<String, Object> payload) {
        Map<String, Object> attrs = Json.map(item.getAttributesJson());
        Map<String, Object> out = new LinkedHashMap<>();
        Object title = payload.get("title");
        if (title != null && !title.toString().isEmpty()) {
            out.put("title", item.getTitle());
        }
        Map<String, Object> touched = new LinkedHashMap<>();
        for (String k : ((Map<String, Object>) payload.getOrDefault("attributes", Map.of())).keySet()) {
            touched.put(k, attrs.get(k));
        }
        out.put("attributes", touched);
        return Json.write(out);
    }

    @Override
    public boolean undoable() {
        return true;
    }

    @Override
    public Map<String, Object> undoPayload(Map<String, Object> payload, String beforeJson, String afterJson) {
        Map<String, Object> before = Json.map(beforeJson);
        Map<String, Object> after = Json.map(afterJson);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", payload.get("item_id"));
        p.put("title", before.getOrDefault("title", ""));
        p.put("attributes", before.getOrDefault("attributes", Map.of()));
        p.put("expected", after.getOrDefault("attributes", Map.of()));
        return p;
    }
}
