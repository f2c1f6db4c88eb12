package dev.marketops.listing.catalogue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.proto.catalog.DatedPrice;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.Sku;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots of items with their SKUs, dated prices and attributes: four queries for any
 * number of items (items, attributes, SKUs, calendar), never one per item.
 */
@ApplicationScoped
public class CatalogueReads {

    public static final int DEFAULT_PAGE = 500;
    public static final int MAX_PAGE = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Filters of a keyset walk over the catalogue in item_id order. */
    public record Filter(List<Long> categoryIds, Long shopId, List<String> statuses, boolean includeDeleted) {
    }

    @Inject
    AgroalDataSource ds;

    public ItemSnapshots get(List<Long> itemIds) {
        return get(itemIds, null);
    }

    /** {@code shopScope}: a merchant's shop (null: every shop); other shops' items are reported missing, like unknown ids. */
    public ItemSnapshots get(List<Long> itemIds, Long shopScope) {
        try (Connection c = ds.getConnection()) {
            Map<Long, ItemSnapshot> found = snapshots(c, itemIds);
            if (shopScope != null) {
                found.values().removeIf(s -> s.getShopId() != shopScope);
            }
            ItemSnapshots.Builder out = ItemSnapshots.newBuilder();
            for (long id : new java.util.LinkedHashSet<>(itemIds)) {
                ItemSnapshot s = found.get(id);
                if (s == null) {
                    out.addMissingItemIds(id);
                } else {
                    out.addItems(s);
                }
            }
            return out.build();
        } catch (SQLException e) {
            throw new IllegalStateException("reading items failed", e);
        }
    }

    /** The next page after {@code afterItemId}; empty when the walk is done. */
    public ItemSnapshots page(long afterItemId, int size, Filter f) {
        int limit = size <= 0 ? DEFAULT_PAGE : Math.min(size, MAX_PAGE);
        StringBuilder sql = new StringBuilder("SELECT item_id FROM item WHERE item_id > ?");
        List<Object> params = new ArrayList<>();
        params.add(afterItemId);
        try (Connection c = ds.getConnection()) {
            if (!f.categoryIds().isEmpty()) {
                sql.append(" AND category_id = ANY(?)");
                params.add(Sql.longs(c, f.categoryIds()));
            }
            if (f.shopId() != null) {
                sql.append(" AND shop_id = ?");
                params.add(f.shopId());
            }
            if (!f.statuses().isEmpty()) {
                sql.append(" AND status = ANY(?)");
                params.add(Sql.texts(c, f.statuses()));
            } else if (!f.includeDeleted()) {
                sql.append(" AND status <> 'deleted'");
            }
            sql.append(" ORDER BY item_id LIMIT ").append(limit);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Sql.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            Map<Long, ItemSnapshot> found = snapshots(c, ids);
            ItemSnapshots.Builder out = ItemSnapshots.newBuilder();
            ids.stream().map(found::get).filter(java.util.Objects::nonNull).forEach(out::addItems);
            return out.build();
        } catch (SQLException e) {
            throw new IllegalStateException("reading items failed", e);
        }
    }

    /** One page of an operators' list (newest first) and the total, for REST. */
    public record Listed(List<ItemSnapshot> items, long total) {
    }

    public Listed list(Long categoryId, Long shopId, String status, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (categoryId != null) {
            where.append(" AND category_id = ?");
            params.add(categoryId);
        }
        if (shopId != null) {
            where.append(" AND shop_id = ?");
            params.add(shopId);
        }
        if (status != null) {
            where.append(" AND status = ?");
            params.add(status);
        }
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM item" + where)) {
                Sql.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT item_id FROM item" + where
                    + " ORDER BY item_id DESC LIMIT " + size + " OFFSET " + ((long) page * size))) {
                Sql.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            Map<Long, ItemSnapshot> found = snapshots(c, ids);
            return new Listed(ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList(), total);
        } catch (SQLException e) {
            throw new IllegalStateException("listing items failed", e);
        }
    }

    Map<Long, ItemSnapshot> snapshots(Connection c, List<Long> itemIds) throws SQLException {
        Map<Long, ItemSnapshot.Builder> items = new LinkedHashMap<>();
        if (itemIds.isEmpty()) {
            return Map.of();
        }
        var ids = Sql.longs(c, itemIds);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT item_id, task_id, category_id, shop_id, title, status, version, source_type, inventory_model, price_model,
                       tags, created_at, updated_at, first_online_at, last_online_at, last_offline_at
                FROM item WHERE item_id = ANY(?)""")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ItemSnapshot.Builder b = ItemSnapshot.newBuilder().setItemId(rs.getLong(1)).setTaskId(rs.getLong(2))
                            .setCategoryId(rs.getLong(3)).setShopId(rs.getLong(4)).setTitle(rs.getString(5))
                            .setStatus(rs.getString(6)).setVersion(rs.getLong(7)).setSourceType(rs.getString(8))
                            .setInventoryModel(rs.getString(9)).setPriceModel(rs.getString(10))
                            .addAllTags(List.of((String[]) rs.getArray(11).getArray()))
                            .setCreatedAt(millis(rs.getTimestamp(12))).setUpdatedAt(millis(rs.getTimestamp(13)))
                            .setFirstOnlineAt(millis(rs.getTimestamp(14))).setLastOnlineAt(millis(rs.getTimestamp(15)))
                            .setLastOfflineAt(millis(rs.getTimestamp(16)));
                    items.put(b.getItemId(), b);
                }
            }
        }
        Map<Long, ObjectNode> attributes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT item_id, attr_code, attr_value, attr_type FROM item_attribute WHERE item_id = ANY(?) ORDER BY item_id, attr_code")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode node = attributes.computeIfAbsent(rs.getLong(1), k -> JSON.createObjectNode());
                    node.set(rs.getString(2), value(rs.getString(3), rs.getString(4)));
                }
            }
        }
        Map<Long, Sku.Builder> skus = new LinkedHashMap<>();
        Map<Long, Long> itemOfSku = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT sku_id, item_id, sku_code, name, status, sale_price_cents, face_value_cents, stock
                FROM sku WHERE item_id = ANY(?) ORDER BY item_id, sku_id""")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    skus.put(rs.getLong(1), Sku.newBuilder().setSkuId(rs.getLong(1)).setSkuCode(rs.getString(3))
                            .setName(rs.getString(4)).setStatus(rs.getString(5)).setSalePriceCents(rs.getLong(6))
                            .setFaceValueCents(rs.getLong(7)).setStock(rs.getLong(8)));
                    itemOfSku.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        if (!skus.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT k.sku_id, k.slot, k.price_cents, k.stock FROM sku_calendar k JOIN sku s ON s.sku_id = k.sku_id
                    WHERE s.item_id = ANY(?) ORDER BY k.sku_id, k.slot""")) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        skus.get(rs.getLong(1)).addCalendar(DatedPrice.newBuilder().setDate(rs.getString(2))
                                .setPriceCents(rs.getLong(3)).setStock(rs.getLong(4)));
                    }
                }
            }
        }
        for (Map.Entry<Long, Sku.Builder> e : skus.entrySet()) {
            items.get(itemOfSku.get(e.getKey())).addSkus(e.getValue());
        }
        Map<Long, ItemSnapshot> out = new LinkedHashMap<>();
        for (ItemSnapshot.Builder b : items.values()) {
            b.setAttributesJson(attributes.getOrDefault(b.getItemId(), JSON.createObjectNode()).toString());
            long min = 0;
            long total = 0;
            for (Sku s : b.getSkusList()) {
                if ("deleted".equals(s.getStatus())) {
                    continue;
                }
                if (s.getSalePriceCents() > 0 && (min == 0 || s.getSalePriceCents() < min)) {
                    min = s.getSalePriceCents();
                }
                total = total < 0 || s.getStock() < 0 ? -1 : total + s.getStock();
            }
            out.put(b.getItemId(), b.setMinPriceCents(min).setTotalStock(total).build());
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode value(String v, String type) {
        if ("json".equals(type)) {
            try {
                return JSON.readTree(v);
            } catch (Exception e) {
                // stored by us as JSON; fall through to text if it ever is not
            }
        }
        return JSON.getNodeFactory().textNode(v);
    }

    private static long millis(Timestamp t) {
        return t == null ? 0 : t.getTime();
    }
}
