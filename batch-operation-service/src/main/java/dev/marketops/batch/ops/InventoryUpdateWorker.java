package dev.marketops.batch.ops;

import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.StockChange;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** inventory_update: set, add or subtract stock per SKU (and date), as the category's inventory model allows. */
@ApplicationScoped
public class InventoryUpdateWorker extends CatalogueItemWorker {

    @Override
    public OperationType type() {
        return OperationType.INVENTORY_UPDATE;
    }

    @Override
    public String codePrefix() {
        return "STOCK";
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.required("item_id", Kind.ID), Column.optional("sku_id", Kind.ID),
                Column.oneOf("mode", false, "set", "add", "subtract"), Column.required("quantity", Kind.INTEGER),
                Column.optional("stock_date", Kind.DATE));
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        long itemId = row.id("item_id");
        long skuId = row.has("sku_id") ? row.id("sku_id") : 0;
        String mode = row.text("mode", params.text("mode", "set"));
        long quantity = (Long) row.values().get("quantity");
        if (quantity < 0 && !"set".equals(mode) || quantity < -1) {
            throw row.error("quantity", "STOCK_NEGATIVE", "must be 0 or more (-1 sets unlimited stock), was " + quantity);
        }
        String date = row.text("stock_date", "");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", itemId);
        p.put("sku_id", skuId);
        p.put("mode", mode);
        p.put("quantity", quantity);
        p.put("stock_date", date);
        return new ParsedRow("item", itemId, p, itemId + ":" + skuId + ":" + date);
    }

    @Override
    protected ItemResults call(Chunk chunk, List<ClaimedItem> items, Map<Long, ItemSnapshot> current) {
        AdjustInventoryRequest.Builder r = AdjustInventoryRequest.newBuilder().setBatchId(chunk.batchId())
                .setOperatorId(chunk.createdBy()).setReason(chunk.params().text("reason", "batch " + chunk.batchCode()))
                .setDryRun(chunk.dryRun());
        List<Integer> owner = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            ClaimedItem i = items.get(k);
            for (Map<String, Object> ch : changes(i.payload())) {
                StockChange.Builder sc = StockChange.newBuilder().setIndex(i.rowNo()).setItemId(i.targetId())
                        .setSkuId(num(ch.get("sku_id"))).setMode((String) ch.get("mode")).setQuantity(num(ch.get("quantity")))
                        .setStockDate(String.valueOf(ch.getOrDefault("stock_date", "")));
                if (Boolean.TRUE.equals(ch.get("has_expected"))) {
                    sc.setHasExpected(true).setExpected(num(ch.get("expected")));
                }
                r.addChanges(sc);
                owner.add(k);
            }
        }
        return fold(items, owner, catalog.adjustInventory(r.build()));
    }

    @Override
    protected String project(ItemSnapshot item, Map<String, Object> payload) {
        return skus(item, payload, s -> Map.of("sku_id", s.getSkuId(), "stock", s.getStock()));
    }

    @Override
    public boolean undoable() {
        return true;
    }

    /** Each SKU back to its stock before, refused (CONFLICT) where the stock is no longer the one this batch set. */
    @Override
    public Map<String, Object> undoPayload(Map<String, Object> payload, String beforeJson, String afterJson) {
        return undoPerSku(payload, beforeJson, afterJson, "stock", (ch, before) -> {
            ch.put("mode", "set");
            ch.put("quantity", before);
            ch.put("stock_date", payload.getOrDefault("stock_date", ""));
        });
    }
}
