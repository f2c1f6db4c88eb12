package dev.marketops.listing.catalogue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.listing.catalogue.domain.PriceRules;
import dev.marketops.listing.catalogue.history.ChangeCause;
import dev.marketops.listing.catalogue.history.ChangeType;
import dev.marketops.listing.catalogue.history.ProductHistory;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.events.PriceChangedEvent;
import dev.marketops.proto.events.SkuPriceChange;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * AdjustPrices (main seed 4.3), one chunk per call: the items' SKUs (and dated prices where
 * asked) are read and locked with two statements, every row is computed and guarded in
 * memory in request order (a later row on the same SKU sees the earlier one), then the new
 * prices, item versions and one price.changed event per item are written set-based. A dry
 * run computes and guards the same way and writes nothing.
 */
@ApplicationScoped
public class PriceAdjustments {

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
        String skuCode;
        final long itemId;
        long sale;
        long face;
        final long origSale;
        final long origFace;
        final Map<String, long[]> slots = new LinkedHashMap<>(); // slot -> {original, current}

        SkuState(long skuId, long itemId, long sale, long face) {
            this.skuId = skuId;
            this.itemId = itemId;
            this.sale = sale;
            this.face = face;
            this.origSale = sale;
            this.origFace = face;
        }
    }

    private record ItemState(long itemId, String status, long version, List<SkuState> skus) {
    }

    /** {@code shopScope}: a merchant's shop (null: every shop); other shops' items answer NOT_FOUND. */
    public ItemResults adjust(AdjustPricesRequest r, Long shopScope) {
        check(r);
        return QuarkusTransaction.requiringNew().call(() -> applyInTransaction(r, shopScope));
    }

    /** The request's own limits (a refusal of the whole call). */
    static void check(AdjustPricesRequest r) {
        if (r.getChangesCount() == 0) {
            throw ApiProblem.missingField("changes");
        }
        if (r.getChangesCount() > MAX_ROWS) {
            throw ApiProblem.invalidField("changes", "at most " + MAX_ROWS + " per call", r.getChangesCount());
        }
    }

    /** {@link #adjust} within the caller's transaction, after {@link #check}; see {@link PriceAndStockAdjustments}. */
    ItemResults applyInTransaction(AdjustPricesRequest r, Long shopScope) throws java.sql.SQLException {
        try (Connection c = ds.getConnection()) {
            Map<Long, ItemState> items = load(c, r.getChangesList().stream().map(PriceChange::getItemId).distinct().toList(),
                    r.getChangesList().stream().anyMatch(ch -> !ch.getPriceDate().isEmpty()), shopScope);
            ItemResult[] out = new ItemResult[r.getChangesCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = one(r.getChanges(i), items, r.getMaxChangeBp(), r.getConfirmed());
            }
            Map<Long, Long> versions = r.getDryRun() ? predicted(items) : write(c, items, r);
            for (int i = 0; i < out.length; i++) {
                if (out[i].getOk()) {
                    out[i] = out[i].toBuilder().setItemVersion(versions.getOrDefault(out[i].getItemId(), out[i].getItemVersion())).build();
                }
            }
            return Results.of(out);
        }
    }

    private ItemResult one(PriceChange ch, Map<Long, ItemState> items, int maxBp, boolean confirmed) {
        int index = ch.getIndex();
        long itemId = ch.getItemId();
        ItemState item = items.get(itemId);
        if (item == null) {
            return Results.error(index, itemId, 0, "NOT_FOUND", "item_id", "no item " + itemId, false);
        }
        if ("deleted".equals(item.status())) {
            return Results.error(index, itemId, 0, "ILLEGAL_STATUS", "item_id", "item " + itemId + " is deleted", false);
        }
        String field = ch.getField().isEmpty() ? "sale_price" : ch.getField();
        if (!field.equals("sale_price") && !field.equals("face_value")) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "field", "field must be sale_price or face_value", false);
        }
        String mode = ch.getMode().isEmpty() ? "set" : ch.getMode();
        if (!PriceRules.knownMode(mode)) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "mode", "mode must be set, add or percent", false);
        }
        boolean dated = !ch.getPriceDate().isEmpty();
        if (dated && field.equals("face_value")) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "price_date", "dated prices are sale prices", false);
        }
        List<SkuState> targets = ch.getSkuId() == 0 ? item.skus() : item.skus().stream().filter(s -> s.skuId == ch.getSkuId()).toList();
        if (targets.isEmpty()) {
            return Results.error(index, itemId, 0, "NOT_FOUND", "sku_id", "no SKU " + ch.getSkuId() + " of item " + itemId, false);
        }
        ArrayNode before = JSON.createArrayNode();
        ArrayNode after = JSON.createArrayNode();
        long[] news = new long[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
            SkuState s = targets.get(t);
            long old;
            if (dated) {
                long[] slot = s.slots.get(ch.getPriceDate());
                if (slot == null) {
                    return Results.error(index, itemId, 0, "NOT_FOUND", "price_date", "SKU " + s.skuId + " has no price on "
                            + ch.getPriceDate(), false);
                }
                old = slot[1];
            } else {
                old = field.equals("sale_price") ? s.sale : s.face;
            }
            if (ch.getHasExpected() && old != ch.getExpectedCents()) {
                return Results.error(index, itemId, 0, "CONFLICT", field, "the price is " + old + " cents, not the expected "
                        + ch.getExpectedCents() + "; it changed since", false);
            }
            long updated;
            try {
                updated = PriceRules.apply(mode, old, ch.getValue());
            } catch (ArithmeticException e) {
                return Results.error(index, itemId, 0, "INVALID_FIELD", "value", "the value is out of range", false);
            }
            long saleAfter = field.equals("sale_price") ? updated : s.sale;
            long faceAfter = field.equals("face_value") ? updated : s.face;
            PriceRules.Refusal refusal = PriceRules.check(old, updated, saleAfter, faceAfter, maxBp, confirmed);
            if (refusal != null) {
                return Results.error(index, itemId, 0, refusal.code(), field, refusal.message(), false);
            }
            news[t] = updated;
            before.add(price(s.skuId, ch.getPriceDate(), old));
            after.add(price(s.skuId, ch.getPriceDate(), updated));
        }
        for (int t = 0; t < targets.size(); t++) { // every SKU of the row passed: apply them together
            SkuState s = targets.get(t);
            if (dated) {
                s.slots.get(ch.getPriceDate())[1] = news[t];
            } else if (field.equals("sale_price")) {
                s.sale = news[t];
            } else {
                s.face = news[t];
            }
        }
        return Results.ok(index, itemId, 0, item.version()).toBuilder()
                .setBeforeJson(wrap(field, before)).setAfterJson(wrap(field, after)).build();
    }

    private static ObjectNode price(long skuId, String date, long cents) {
        ObjectNode n = JSON.createObjectNode().put("sku_id", skuId);
        if (!date.isEmpty()) {
            n.put("price_date", date);
        }
        return n.put("cents", cents);
    }

    private static String wrap(String field, ArrayNode prices) {
        ObjectNode n = JSON.createObjectNode().put("field", field);
        n.set("prices", prices);
        return n.toString();
    }

    private Map<Long, ItemState> load(Connection c, List<Long> itemIds, boolean withCalendar, Long shopScope) throws SQLException {
        Map<Long, ItemState> items = new HashMap<>();
        Map<Long, SkuState> skus = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.item_id, i.status, i.version, s.sku_id, s.sale_price_cents, s.face_value_cents, s.sku_code
                FROM item i LEFT JOIN sku s ON s.item_id = i.item_id AND s.status <> 'deleted'
                WHERE i.item_id = ANY(?)""" + Sql.IN_SCOPE + " ORDER BY i.item_id, s.sku_id FOR UPDATE OF i")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            Sql.scope(ps, 2, shopScope);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ItemState it = items.computeIfAbsent(rs.getLong(1), id -> {
                        try {
                            return new ItemState(id, rs.getString(2), rs.getLong(3), new ArrayList<>());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    long skuId = rs.getLong(4);
                    if (!rs.wasNull()) {
                        SkuState s = new SkuState(skuId, it.itemId(), rs.getLong(5), rs.getLong(6));
                        s.skuCode = rs.getString(7);
                        it.skus().add(s);
                        skus.put(skuId, s);
                    }
                }
            }
        }
        if (withCalendar && !skus.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT sku_id, slot, price_cents FROM sku_calendar WHERE sku_id = ANY(?) ORDER BY sku_id, slot")) {
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

    private static Map<Long, Long> predicted(Map<Long, ItemState> items) {
        Map<Long, Long> out = new HashMap<>();
        for (ItemState it : items.values()) {
            if (changes(it).isEmpty()) {
                out.put(it.itemId(), it.version());
            } else {
                out.put(it.itemId(), it.version() + 1);
            }
        }
        return out;
    }

    private static List<SkuPriceChange> changes(ItemState it) {
        List<SkuPriceChange> out = new ArrayList<>();
        for (SkuState s : it.skus()) {
            if (s.sale != s.origSale || s.face != s.origFace) {
                out.add(SkuPriceChange.newBuilder().setSkuId(s.skuId).setOldSalePriceCents(s.origSale).setNewSalePriceCents(s.sale)
                        .setOldFaceValueCents(s.origFace).setNewFaceValueCents(s.face).build());
            }
            for (Map.Entry<String, long[]> e : s.slots.entrySet()) {
                if (e.getValue()[0] != e.getValue()[1]) {
                    out.add(SkuPriceChange.newBuilder().setSkuId(s.skuId).setPriceDate(e.getKey())
                            .setOldSalePriceCents(e.getValue()[0]).setNewSalePriceCents(e.getValue()[1]).build());
                }
            }
        }
        return out;
    }

    private Map<Long, Long> write(Connection c, Map<Long, ItemState> items, AdjustPricesRequest r) throws SQLException {
        List<Long> skuIds = new ArrayList<>(), sale = new ArrayList<>(), face = new ArrayList<>();
        List<Long> slotSku = new ArrayList<>(), slotPrice = new ArrayList<>();
        List<String> slot = new ArrayList<>();
        Map<Long, List<SkuPriceChange>> byItem = new LinkedHashMap<>();
        for (ItemState it : items.values()) {
            List<SkuPriceChange> ch = changes(it);
            if (ch.isEmpty()) {
                continue;
            }
            byItem.put(it.itemId(), ch);
            for (SkuState s : it.skus()) {
                if (s.sale != s.origSale || s.face != s.origFace) {
                    skuIds.add(s.skuId);
                    sale.add(s.sale);
                    face.add(s.face);
                }
                s.slots.forEach((k, v) -> {
                    if (v[0] != v[1]) {
                        slotSku.add(s.skuId);
                        slot.add(k);
                        slotPrice.add(v[1]);
                    }
                });
            }
        }
        Map<Long, Long> versions = new HashMap<>();
        items.values().forEach(it -> versions.put(it.itemId(), it.version()));
        if (byItem.isEmpty()) {
            return versions;
        }
        if (!skuIds.isEmpty()) {
            Sql.update(c, """
                    UPDATE sku s SET sale_price_cents = u.sale, face_value_cents = u.face, updated_at = now()
                    FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS u(sku_id, sale, face) WHERE s.sku_id = u.sku_id""",
                    Sql.longs(c, skuIds), Sql.longs(c, sale), Sql.longs(c, face));
        }
        if (!slot.isEmpty()) {
            Sql.update(c, """
                    UPDATE sku_calendar k SET price_cents = u.price
                    FROM unnest(?::bigint[], ?::text[], ?::bigint[]) AS u(sku_id, slot, price) WHERE k.sku_id = u.sku_id AND k.slot = u.slot""",
                    Sql.longs(c, slotSku), Sql.texts(c, slot), Sql.longs(c, slotPrice));
            // A dated SKU's base price is its lowest upcoming night (as when it was published): computed
            // here, and read back so that the history row holds it where it moved.
            Map<Long, SkuState> bySku = new HashMap<>();
            items.values().forEach(it -> it.skus().forEach(k -> bySku.put(k.skuId, k)));
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE sku s SET sale_price_cents = m.p, updated_at = now()
                    FROM (SELECT sku_id, COALESCE(min(price_cents) FILTER (WHERE slot >= ?), min(price_cents)) AS p
                          FROM sku_calendar WHERE sku_id = ANY(?) GROUP BY sku_id) m WHERE s.sku_id = m.sku_id
                    RETURNING s.sku_id, s.sale_price_cents""")) {
                ps.setString(1, LocalDate.now(ZoneOffset.UTC).toString());
                ps.setArray(2, Sql.longs(c, new java.util.HashSet<>(slotSku)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        SkuState k = bySku.get(rs.getLong(1));
                        if (k != null) {
                            k.sale = rs.getLong(2);
                        }
                    }
                }
            }
        }
        ChangeCause cause = ChangeCause.batch(r.getBatchId(), r.getReason(), r.getOperatorId())
                .withSupplier(r.getSupplierId(), r.getSupplierMessageId());
        Map<Long, Integer> rows = Sql.firstRows(r.getChangesList(), PriceChange::getItemId, PriceChange::getIndex);
        // The changed fields are known here (the base, face and nightly prices, and a dated SKU's base
        // price as read back): the item's version and its history row in one statement.
        List<ProductHistory.Change> changes = new ArrayList<>(byItem.size());
        for (long itemId : byItem.keySet()) {
            ObjectNode old = JSON.createObjectNode(), neu = JSON.createObjectNode();
            for (SkuState s : items.get(itemId).skus()) {
                String p = "skus." + s.skuCode + ".";
                ProductHistory.putIfChanged(old, neu, p + "sale_price_cents", s.origSale, s.sale);
                ProductHistory.putIfChanged(old, neu, p + "face_value_cents", s.origFace, s.face);
                s.slots.forEach((k, v) -> ProductHistory.putIfChanged(old, neu, p + "calendar." + k + ".price_cents", v[0], v[1]));
            }
            changes.add(new ProductHistory.Change(itemId, ChangeType.PRICE, old, neu, rows.get(itemId)));
        }
        versions.putAll(history.enabled() ? history.bumpAndRecord(c, changes, cause) : Sql.bumpVersions(c, byItem.keySet()));
        long now = System.currentTimeMillis();
        List<Outbox.Message> events = new ArrayList<>();
        byItem.forEach((itemId, ch) -> {
            PriceChangedEvent e = PriceChangedEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTimestamp(now)
                    .setItemId(itemId).setItemVersion(versions.get(itemId)).addAllSkus(ch).setBatchId(r.getBatchId())
                    .setReason(r.getReason()).setOperatorId(r.getOperatorId()).build();
            events.add(new Outbox.Message(CatalogueTopics.PRICE_CHANGED, Long.toString(itemId), "price_changed", e.getEventId(), e));
        });
        outbox.enqueueAll(events);
        return versions;
    }
}
