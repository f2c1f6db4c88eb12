package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The field-by-field difference between two versions of a product, from the history rows
 * between them: for each path changed in (from, to], its value at {@code from} (the first
 * change's old value) and at {@code to} (the last change's new value); paths changed and changed
 * back are left out. Covers every recorded field: title, status, tags, attributes, SKUs, price
 * calendar entries and stock.
 */
public final class VersionDiff {

    /** One changed field. */
    public record FieldChange(String path, String kind, JsonNode from, JsonNode to) {
    }

    private VersionDiff() {
    }

    /** {@code rows}: the product's rows with version in (from, to], oldest first. */
    public static List<FieldChange> between(List<HistoryEntry> rows) {
        Map<String, JsonNode[]> span = new TreeMap<>();
        for (HistoryEntry r : rows) {
            r.oldValue().fieldNames().forEachRemaining(p -> {
                JsonNode[] v = span.computeIfAbsent(p, k -> new JsonNode[] {r.oldValue().get(k), null});
                v[1] = r.newValue().has(p) ? r.newValue().get(p) : NullNode.instance;
            });
        }
        List<FieldChange> out = new ArrayList<>();
        span.forEach((p, v) -> {
            if (!ProductState.same(v[0], v[1])) {
                out.add(new FieldChange(p, ChangeType.ofPath(p).name(), v[0], v[1]));
            }
        });
        return out;
    }

    /** The changes as lines a person reads ("skus.R1.sale_price_cents: 12000 → 9900"). */
    public static List<String> lines(List<FieldChange> changes) {
        List<String> out = new ArrayList<>(changes.size());
        for (FieldChange c : changes) {
            out.add(c.path() + ": " + show(c.from()) + " → " + show(c.to()));
        }
        return out.isEmpty() ? List.of("no change") : out;
    }

    private static String show(JsonNode v) {
        return v == null || v.isNull() ? "(none)" : v.isTextual() ? v.asText() : v.toString();
    }

    /**
     * The product's values at an earlier point, for the given paths: the current state with every
     * later change undone (newest first). {@code later}: the rows after that point, oldest first.
     */
    public static Map<String, JsonNode> rewind(Map<String, JsonNode> current, List<HistoryEntry> later) {
        Map<String, JsonNode> target = new LinkedHashMap<>();
        for (int i = later.size() - 1; i >= 0; i--) {
            HistoryEntry r = later.get(i);
            r.oldValue().fields().forEachRemaining(e -> target.put(e.getKey(), e.getValue()));
        }
        // Only what differs from now is a change.
        target.entrySet().removeIf(e -> ProductState.same(e.getValue(), current.get(e.getKey())));
        return target;
    }
}
