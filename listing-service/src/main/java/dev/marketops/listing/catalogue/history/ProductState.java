package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A product's recorded state as a flat map of field paths to JSON values, the unit of history:
 * {@code title}, {@code status}, {@code tags}, {@code attributes.<code>},
 * {@code skus.<sku_code>.(name|status|sale_price_cents|face_value_cents|stock)} and
 * {@code skus.<sku_code>.calendar.<slot>.(price_cents|stock)}. A history row holds the paths
 * that changed; a diff, a rollback and a point-in-time restore work on the same paths.
 */
public final class ProductState {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String SKUS = "skus.";
    private static final String CALENDAR = ".calendar.";

    private ProductState() {
    }

    /** The states of the items (four set-based reads); items that do not exist are absent. */
    public static Map<Long, TreeMap<String, JsonNode>> load(Connection c, Collection<Long> itemIds) throws SQLException {
        Map<Long, TreeMap<String, JsonNode>> out = new HashMap<>();
        if (itemIds.isEmpty()) {
            return out;
        }
        Array ids = c.createArrayOf("bigint", itemIds.toArray());
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id, title, status, tags FROM item WHERE item_id = ANY(?)")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TreeMap<String, JsonNode> s = new TreeMap<>();
                    s.put("title", JsonNodeFactory.instance.textNode(rs.getString(2)));
                    s.put("status", JsonNodeFactory.instance.textNode(rs.getString(3)));
                    ArrayNode tags = JSON.createArrayNode();
                    new TreeSet<>(Arrays.asList((String[]) rs.getArray(4).getArray())).forEach(tags::add);
                    s.put("tags", tags);
                    out.put(rs.getLong(1), s);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT item_id, attr_code, attr_value, attr_type FROM item_attribute WHERE item_id = ANY(?)")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TreeMap<String, JsonNode> s = out.get(rs.getLong(1));
                    if (s != null) {
                        s.put("attributes." + rs.getString(2), attribute(rs.getString(3), rs.getString(4)));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.item_id, s.sku_code, s.name, s.status, s.sale_price_cents, s.face_value_cents, s.stock, k.slot, k.price_cents, k.stock
                FROM sku s LEFT JOIN sku_calendar k ON k.sku_id = s.sku_id WHERE s.item_id = ANY(?)""")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TreeMap<String, JsonNode> s = out.get(rs.getLong(1));
                    if (s == null) {
                        continue;
                    }
                    String p = SKUS + rs.getString(2) + ".";
                    s.put(p + "name", JsonNodeFactory.instance.textNode(rs.getString(3)));
                    s.put(p + "status", JsonNodeFactory.instance.textNode(rs.getString(4)));
                    s.put(p + "sale_price_cents", num(rs.getLong(5)));
                    s.put(p + "face_value_cents", num(rs.getLong(6)));
                    s.put(p + "stock", num(rs.getLong(7)));
                    String slot = rs.getString(8);
                    if (slot != null) {
                        String q = SKUS + rs.getString(2) + CALENDAR + slot + ".";
                        s.put(q + "price_cents", num(rs.getLong(9)));
                        s.put(q + "stock", num(rs.getLong(10)));
                    }
                }
            }
        }
        return out;
    }

    /** A number as JSON text reads back (an int where it fits), so stored and parsed values compare equal. */
    static JsonNode num(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? JsonNodeFactory.instance.numberNode((int) v)
                : JsonNodeFactory.instance.numberNode(v);
    }

    private static final java.util.Comparator<JsonNode> SAME = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /** Equal values (numbers by value, whatever their JSON node type); null stands for an absent field. */
    public static boolean same(JsonNode a, JsonNode b) {
        JsonNode x = a == null ? com.fasterxml.jackson.databind.node.NullNode.instance : a;
        JsonNode y = b == null ? com.fasterxml.jackson.databind.node.NullNode.instance : b;
        return x.equals(SAME, y);
    }

    static JsonNode attribute(String value, String type) {
        if ("json".equals(type)) {
            try {
                return JSON.readTree(value);
            } catch (Exception e) {
                // stored as text after all
            }
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    /** The changed paths between two states: {old, new} objects holding only those paths (absent = null). */
    public static ObjectNode[] diff(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        ObjectNode old = JSON.createObjectNode();
        ObjectNode neu = JSON.createObjectNode();
        TreeSet<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        for (String p : paths) {
            JsonNode a = before.getOrDefault(p, NullNode.instance);
            JsonNode b = after.getOrDefault(p, NullNode.instance);
            if (!same(a, b)) {
                old.set(p, a);
                neu.set(p, b);
            }
        }
        return new ObjectNode[] {old, neu};
    }

    /** A parsed SKU path: the SKU's code, the calendar slot (null for the SKU itself) and the field. */
    public record SkuPath(String skuCode, String slot, String field) {
    }

    /** Null when the path is not a SKU path. */
    public static SkuPath skuPath(String path) {
        if (!path.startsWith(SKUS)) {
            return null;
        }
        String rest = path.substring(SKUS.length());
        int cal = rest.lastIndexOf(CALENDAR);
        if (cal >= 0) {
            String code = rest.substring(0, cal);
            String slotField = rest.substring(cal + CALENDAR.length());
            int dot = slotField.lastIndexOf('.');
            return dot < 0 ? null : new SkuPath(code, slotField.substring(0, dot), slotField.substring(dot + 1));
        }
        int dot = rest.lastIndexOf('.');
        return dot < 0 ? null : new SkuPath(rest.substring(0, dot), null, rest.substring(dot + 1));
    }
}
