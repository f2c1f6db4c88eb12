package dev.marketops.listing.catalogue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.listing.catalogue.history.ChangeCause;
import dev.marketops.listing.catalogue.history.ChangeType;
import dev.marketops.listing.catalogue.history.ProductHistory;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.StockChange;
import dev.marketops.proto.events.InventoryChangedEvent;
import dev.marketops.proto.events.SkuStockChange;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * AdjustInventory (main seed 4.4) per inventory model: quantity and bundle stock on the SKU,
 * date-based (hotel nights) and seat-based (sessions) stock on the dated slot with the SKU's
 * stock the sum of its slots; unlimited stock is not counted and a code pool's stock is its
 * codes (ImportVoucherCodes). Read and locked in two statements, computed in request order,
 * written set-based with one inventory.changed event per item.
 */
@ApplicationScoped
public class InventoryAdjustments {

    public static final int MAX_ROWS = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource ds;
    @Inject
    Outbox outbox;
    @Inject
    ProductHistory history;

    private static final class SkuState {
        final long skuId;
        final long origStock;
        long stock;
        String skuCode = "";
        final Map<String, long[]> slots = new LinkedHashMap<>(); // slot -> {original, current}

        SkuState(long skuId, long stock) {
            this.skuId = skuId;
            this.origStock = stock;
            this.stock = stock;
        }
    }

    private record ItemState(long itemId, String status, long version, String model, List<SkuState> skus) {
    }

    /** {@code shopScope}: a merchant's shop (null: every shop); other shops' items answer NOT_FOUND. */
    public ItemResults adjust(AdjustInventoryRequest r, Long shopScope) {
        check(r);
        return QuarkusTransaction.requiringNew().call(() -> applyInTransaction(r, shopScope));
    }

    /** The request's own limits (a refusal of the whole call). */
    static void check(AdjustInventoryRequest r) {
        if (r.getChangesCount() == 0) {
            throw ApiProblem.missingField("changes");
        }
        if (r.getChangesCount() > MAX_ROWS) {
            throw ApiProblem.invalidField("changes", "at most " + MAX_ROWS + " per call", r.getChangesCount());
        }
    }

    /** {@link #adjust} within the caller's transaction, after {@link #check}; see {@link PriceAndStockAdjustments}. */
    ItemResults applyInTransaction(AdjustInventoryRequest r, Long shopScope) throws java.sql.SQLException {
        try (Connection c = ds.getConnection()) {
            Map<Long, ItemState> items = load(c, r.getChangesList().stream().map(StockChange::getItemId).distinct().toList(), shopScope);
            ItemResult[] out = new ItemResult[r.getChangesCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = one(r.getChanges(i), items);
            }
            Map<Long, Long> versions = write(c, items, r, r.getDryRun());
            for (int i = 0; i < out.length; i++) {
                if (out[i].getOk()) {
                    out[i] = out[i].toBuilder().setItemVersion(versions.get(out[i].getItemId())).build();
                }
            }
            return Results.of(out);
        }
    }

    private ItemResult one(StockChange ch, Map<Long, ItemState> items) {
        int index = ch.getIndex();
        long itemId = ch.getItemId();
        ItemState item = items.get(itemId);
        if (item == null) {
            return Results.error(index, itemId, 0, "NOT_FOUND", "item_id", "no item " + itemId, false);
        }
        if ("deleted".equals(item.status())) {
            return Results.error(index, itemId, 0, "ILLEGAL_STATUS", "item_id", "item " + itemId + " is deleted", false);
        }
        String mode = ch.getMode().isEmpty() ? "set" : ch.getMode();
        if (!List.of("set", "add", "subtract").contains(mode)) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "mode", "mode must be set, add or subtract", false);
        }
        if (ch.getQuantity() < 0) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "quantity", "quantity must not be negative", false);
        }
        if ("unlimited".equals(item.model())) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "item_id", "item " + itemId + " has unlimited stock", false);
        }
        if ("code_pool".equals(item.model())) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "item_id",
                    "a code pool's stock is its codes; import voucher codes instead", false);
        }
        SkuState s;
        if (ch.getSkuId() == 0) {
            if (item.skus().size() != 1) {
                return Results.error(index, itemId, 0, "INVALID_FIELD", "sku_id", "item " + itemId + " has "
                        + item.skus().size() + " SKUs; name one", false);
            }
            s = item.skus().get(0);
        } else {
            s = item.skus().stream().filter(x -> x.skuId == ch.getSkuId()).findFirst().orElse(null);
            if (s == null) {
                return Results.error(index, itemId, 0, "NOT_FOUND", "sku_id", "no SKU " + ch.getSkuId() + " of item " + itemId, false);
            }
        }
        boolean dated = "date_based".equals(item.model()) || "seat_based".equals(item.model());
        String slot = ch.getStockDate();
        if (dated && slot.isEmpty() && s.slots.size() == 1) {
            slot = s.slots.keySet().iterator().next(); // a movie's only session
        }
        if (dated && slot.isEmpty()) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "stock_date", "date-based stock needs stock_date", false);
        }
        if (dated && !s.slots.containsKey(slot)) {
            return Results.error(index, itemId, 0, "NOT_FOUND", "stock_date", "SKU " + s.skuId + " has no stock on " + slot, false);
        }
        long old = dated ? s.slots.get(slot)[1] : s.stock;
        if (ch.getHasExpected() && old != ch.getExpected()) {
            return Results.error(index, itemId, 0, "CONFLICT", "stock", "the stock is " + old + ", not the expected "
                    + ch.getExpected() + "; it changed since", false);
        }
        long updated = switch (mode) {
            case "add" -> old + ch.getQuantity();
            case "subtract" -> old - ch.getQuantity();
            default -> ch.getQuantity();
        };
        if (updated < 0) {
            return Results.error(index, itemId, 0, "STOCK_NEGATIVE", "quantity", "the stock would be " + updated, false);
        }
        if (dated) {
            s.slots.get(slot)[1] = updated;
            s.stock = s.slots.values().stream().mapToLong(v -> v[1]).sum();
        } else {
            s.stock = updated;
        }
        return Results.ok(index, itemId, 0, item.version()).toBuilder()
                .setBeforeJson(stock(s.skuId, dated ? slot : "", old)).setAfterJson(stock(s.skuId, dated ? slot : "", updated)).build();
    }

    private static String stock(long skuId, String slot, long value) {
        ObjectNode n = JSON.createObjectNode().put("sku_id", skuId);
        if (!slot.isEmpty()) {
            n.put("stock_date", slot);
        }
        return n.put("stock", value).toString();
    }

    private Map<Long, ItemState> load(Connection c, List<Long> itemIds, Long shopScope) throws SQLException {
        Map<Long, ItemState> items = new HashMap<>();
        Map<Long, SkuState> skus = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.item_id, i.status, i.version, i.inventory_model, s.sku_id, s.stock, s.sku_code
                FROM item i LEFT JOIN sku s ON s.item_id = i.item_id AND s.status <> 'deleted'
                WHERE i.item_id = ANY(?)""" + Sql.IN_SCOPE + " ORDER BY i.item_id, s.sku_id FOR UPDATE OF i")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            Sql.scope(ps, 2, shopScope);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    ItemState it = items.get(id);
                    if (it == null) {
                        it = new ItemState(id, rs.getString(2), rs.getLong(3), rs.getString(4), new ArrayList<>());
                        items.put(id, it);
                    }
                    long skuId = rs.getLong(5);
                    if (!rs.wasNull()) {
                        SkuState s = new SkuState(skuId, rs.getLong(6));
                        s.skuCode = rs.getString(7);
                        it.skus().add(s);
                        skus.put(skuId, s);
                    }
                }
            }
        }
        if (!skus.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT sku_id, slot, stock FROM sku_calendar WHERE sku_id = ANY(?) ORDER BY sku_id, slot")) {
                ps.setArray(1, Sql.longs(c, skus.keySet()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        skus.get(rs.getLong(1)).slots.put(rs.getString(2), new long[] {rs.getLong(3), rs.getLong(3)});
                    }
                }
            }
        }
        return items;
    }

    private Map<Long, Long> write(Connection c, Map<Long, ItemState> items, AdjustInventoryRequest r, boolean dryRun) throws SQLException {
        List<Long> skuIds = new ArrayList<>(), stocks = new ArrayList<>(), slotSku = new ArrayList<>(), slotStock = new ArrayList<>();
        List<String> slots = new ArrayList<>();
        Map<Long, List<SkuStockChange>> byItem = new LinkedHashMap<>();
        Map<Long, Long> versions = new HashMap<>();
        for (ItemState it : items.values()) {
            versions.put(it.itemId(), it.version());
            List<SkuStockChange> ch = new ArrayList<>();
            for (SkuState s : it.skus()) {
                s.slots.forEach((k, v) -> {
                    if (v[0] != v[1]) {
                        slotSku.add(s.skuId);
                        slots.add(k);
                        slotStock.add(v[1]);
                        ch.add(SkuStockChange.newBuilder().setSkuId(s.skuId).setStockDate(k).setOldStock(v[0]).setNewStock(v[1]).build());
                    }
                });
                if (s.stock != s.origStock) {
                    skuIds.add(s.skuId);
                    stocks.add(s.stock);
                    if (s.slots.isEmpty()) {
                        ch.add(SkuStockChange.newBuilder().setSkuId(s.skuId).setOldStock(s.origStock).setNewStock(s.stock).build());
                    }
                }
            }
            if (!ch.isEmpty()) {
                byItem.put(it.itemId(), ch);
                versions.put(it.itemId(), it.version() + 1);
            }
        }
        if (dryRun || byItem.isEmpty()) {
            return versions;
        }
        if (!skuIds.isEmpty()) {
            Sql.update(c, """
                    UPDATE sku s SET stock = u.stock, updated_at = now()
                    FROM unnest(?::bigint[], ?::bigint[]) AS u(sku_id, stock) WHERE s.sku_id = u.sku_id""",
                    Sql.longs(c, skuIds), Sql.longs(c, stocks));
        }
        if (!slots.isEmpty()) {
            Sql.update(c, """
                    UPDATE sku_calendar k SET stock = u.stock
                    FROM unnest(?::bigint[], ?::text[], ?::bigint[]) AS u(sku_id, slot, stock) WHERE k.sku_id = u.sku_id AND k.slot = u.slot""",
                    Sql.longs(c, slotSku), Sql.texts(c, slots), Sql.longs(c, slotStock));
        }
        // The changed fields are known here (a dated SKU's total stock is the sum of its nights):
        // the item's version and its history row are written by one statement.
        Map<Long, Integer> rows = Sql.firstRows(r.getChangesList(), StockChange::getItemId, StockChange::getIndex);
        List<ProductHistory.Change> changes = new ArrayList<>(byItem.size());
        for (long itemId : byItem.keySet()) {
            ObjectNode old = JSON.createObjectNode(), neu = JSON.createObjectNode();
            for (SkuState s : items.get(itemId).skus()) {
                String p = "skus." + s.skuCode + ".";
                ProductHistory.putIfChanged(old, neu, p + "stock", s.origStock, s.stock);
                s.slots.forEach((k, v) -> ProductHistory.putIfChanged(old, neu, p + "calendar." + k + ".stock", v[0], v[1]));
            }
            changes.add(new ProductHistory.Change(itemId, ChangeType.STOCK, old, neu, rows.get(itemId)));
        }
        versions.putAll(history.enabled() ? history.bumpAndRecord(c, changes, ChangeCause.batch(r.getBatchId(), r.getReason(),
                r.getOperatorId()).withSupplier(r.getSupplierId(), r.getSupplierMessageId())) : Sql.bumpVersions(c, byItem.keySet()));
        long now = System.currentTimeMillis();
        List<Outbox.Message> events = new ArrayList<>();
        byItem.forEach((itemId, ch) -> {
            InventoryChangedEvent e = InventoryChangedEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTimestamp(now)
                    .setItemId(itemId).setItemVersion(versions.get(itemId)).addAllSkus(ch).setBatchId(r.getBatchId())
                    .setReason(r.getReason()).setOperatorId(r.getOperatorId()).build();
            events.add(new Outbox.Message(CatalogueTopics.INVENTORY_CHANGED, Long.toString(itemId), "inventory_changed", e.getEventId(), e));
        });
        outbox.enqueueAll(events);
        return versions;
    }
}
