package dev.marketops.listing.catalogue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.listing.catalogue.domain.CataloguePlanner;
import dev.marketops.listing.catalogue.history.ChangeCause;
import dev.marketops.listing.catalogue.history.ChangeType;
import dev.marketops.listing.catalogue.history.ProductHistory;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.EditItemsRequest;
import dev.marketops.proto.catalog.ItemEdit;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.RemoveTagsRequest;
import dev.marketops.validation.ListingValidator;
import dev.marketops.validation.ValidationLevel;
import dev.marketops.validation.ValidationResult;
import dev.marketops.validation.Violation;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Batch edits of catalogue items: EditItems (title and attributes, validated with the
 * category's rules of the validation module, main seed 4.2), AddTags and RemoveTags (codes of
 * config-service's tag table, {@link TagTable}; relations kept by {@link ItemTags}). Each chunk
 * is read with two statements, decided in request order and written set-based; a dry run
 * decides the same way and writes nothing.
 */
@ApplicationScoped
public class ItemEdits {

    public static final int MAX_ROWS = 5000;
    public static final int MAX_TAG = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    dev.marketops.platform.outbox.Outbox outbox;
    @Inject
    AgroalDataSource ds;
    @Inject
    CategoryDirectory categories;
    @Inject
    ProductHistory history;
    @Inject
    TagTable tagTable;

    private final ListingValidator validator = ListingValidator.standard(Clock.systemUTC());

    private static final class ItemState {
        final long itemId;
        final long categoryId;
        final String status;
        final long version;
        final String origTitle;
        String title;
        final Map<String, Object> taskData;
        final Map<String, Object> attributes = new LinkedHashMap<>();
        final Map<String, Object> changed = new LinkedHashMap<>();

        ItemState(long itemId, long categoryId, String status, long version, String title, Map<String, Object> taskData) {
            this.itemId = itemId;
            this.categoryId = categoryId;
            this.status = status;
            this.version = version;
            this.origTitle = title;
            this.title = title;
            this.taskData = taskData;
        }

        boolean dirty() {
            return !changed.isEmpty() || !title.equals(origTitle);
        }
    }

    // ---- EditItems -------------------------------------------------------------------------

    /** {@code shopScope}: a merchant's shop (null: every shop); other shops' items answer NOT_FOUND. */
    public ItemResults edit(EditItemsRequest r, Long shopScope) {
        if (r.getEditsCount() == 0) {
            throw ApiProblem.missingField("edits");
        }
        if (r.getEditsCount() > MAX_ROWS) {
            throw ApiProblem.invalidField("edits", "at most " + MAX_ROWS + " per call", r.getEditsCount());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                Map<Long, ItemState> items = load(c, r.getEditsList().stream().map(ItemEdit::getItemId).distinct().toList(), shopScope);
                ItemResult[] out = new ItemResult[r.getEditsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = one(r.getEdits(i), items);
                }
                ProductHistory.Capture captured = r.getDryRun() ? null
                        : history.capture(c, items.values().stream().filter(ItemState::dirty).map(it -> it.itemId).toList());
                Map<Long, Long> versions = write(c, items, r.getDryRun());
                if (captured != null) {
                    captured.record(c, ChangeType.ATTRIBUTE, ChangeCause.batch(r.getBatchId(), r.getReason(), r.getOperatorId())
                            .withSupplier(r.getSupplierId(), r.getSupplierMessageId()),
                            Sql.firstRows(r.getEditsList(), ItemEdit::getItemId, ItemEdit::getIndex));
                }
                for (int i = 0; i < out.length; i++) {
                    if (out[i].getOk()) {
                        out[i] = out[i].toBuilder().setItemVersion(versions.get(out[i].getItemId())).build();
                    }
                }
                if (!r.getDryRun()) {
                    announce(items.values().stream().filter(ItemState::dirty).map(it -> it.itemId).toList(), versions,
                            "edit", r.getBatchId(), r.getOperatorId());
                }
                return Results.of(out);
            }
        });
    }

    private ItemResult one(ItemEdit e, Map<Long, ItemState> items) {
        int index = e.getIndex();
        long itemId = e.getItemId();
        ItemState it = items.get(itemId);
        if (it == null) {
            return Results.error(index, itemId, 0, "NOT_FOUND", "item_id", "no item " + itemId, false);
        }
        if ("deleted".equals(it.status)) {
            return Results.error(index, itemId, 0, "ILLEGAL_STATUS", "item_id", "item " + itemId + " is deleted", false);
        }
        String title = e.getTitle().trim();
        if (title.length() > 255) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "title", "title must be at most 255 characters", false);
        }
        Map<String, Object> edit;
        try {
            edit = e.getAttributesJson().isBlank() ? Map.of() : JSON.readValue(e.getAttributesJson(), new TypeReference<>() { });
        } catch (Exception x) {
            return Results.error(index, itemId, 0, "INVALID_FIELD", "attributes_json", "must be a JSON object", false);
        }
        for (Map.Entry<String, Object> a : edit.entrySet()) {
            if (CataloguePlanner.STRUCTURAL.contains(a.getKey())) {
                return Results.error(index, itemId, 0, "INVALID_FIELD", a.getKey(),
                        a.getKey() + " is not an attribute here: prices and stock change through their own operations", false);
            }
            String stored = stored(a.getValue());
            if (!CataloguePlanner.ATTRIBUTE_KEY.matcher(a.getKey()).matches() || stored.length() > CataloguePlanner.MAX_ATTRIBUTE_VALUE) {
                return Results.error(index, itemId, 0, "REFUSED_ATTRIBUTE", a.getKey(), "the catalogue stores keys like "
                        + CataloguePlanner.ATTRIBUTE_KEY.pattern() + " with values of at most " + CataloguePlanner.MAX_ATTRIBUTE_VALUE
                        + " characters", false);
            }
        }
        if (e.getHasExpected()) {
            try {
                JsonNode expected = JSON.readTree(e.getExpectedJson().isBlank() ? "{}" : e.getExpectedJson());
                for (var f : (Iterable<Map.Entry<String, JsonNode>>) expected::fields) {
                    JsonNode now = f.getKey().equals("title") ? JSON.valueToTree(it.title) : JSON.valueToTree(it.attributes.get(f.getKey()));
                    if (!now.equals(f.getValue())) {
                        return Results.error(index, itemId, 0, "CONFLICT", f.getKey(), f.getKey() + " changed since: it is now " + now, false);
                    }
                }
            } catch (Exception x) {
                return Results.error(index, itemId, 0, "INVALID_FIELD", "expected_json", "must be a JSON object", false);
            }
        }
        if (!edit.isEmpty()) {
            Map<String, Object> merged = new HashMap<>(it.taskData);
            merged.putAll(it.attributes);
            merged.putAll(edit);
            ValidationResult v = validator.validate(categories.schema(it.categoryId), merged, ValidationLevel.FULL);
            for (Violation violation : v.violations()) {
                if (edit.containsKey(violation.field())) { // only what this edit touches: older data is not this row's fault
                    return Results.error(index, itemId, 0, "VALIDATION_FAILED", violation.field(), violation.message(), false);
                }
            }
        }
        ObjectNode before = JSON.createObjectNode();
        ObjectNode after = JSON.createObjectNode();
        if (!title.isEmpty()) {
            before.put("title", it.title);
            after.put("title", title);
            it.title = title;
        }
        ObjectNode beforeAttrs = before.putObject("attributes");
        ObjectNode afterAttrs = after.putObject("attributes");
        for (Map.Entry<String, Object> a : edit.entrySet()) {
            beforeAttrs.set(a.getKey(), JSON.valueToTree(it.attributes.get(a.getKey())));
            afterAttrs.set(a.getKey(), JSON.valueToTree(a.getValue()));
            it.attributes.put(a.getKey(), a.getValue());
            it.changed.put(a.getKey(), a.getValue());
        }
        return Results.ok(index, itemId, 0, it.version).toBuilder().setBeforeJson(before.toString()).setAfterJson(after.toString()).build();
    }

    private static String stored(Object v) {
        if (v instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(v);
        } catch (Exception e) {
            return String.valueOf(v);
        }
    }

    private Map<Long, ItemState> load(Connection c, List<Long> itemIds, Long shopScope) throws SQLException {
        Map<Long, ItemState> items = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.item_id, i.category_id, i.status, i.version, i.title, t.item_data::text
                FROM item i LEFT JOIN listing_task t ON t.task_id = i.task_id WHERE i.item_id = ANY(?)""" + Sql.IN_SCOPE
                + " FOR UPDATE OF i")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            Sql.scope(ps, 2, shopScope);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> data;
                    try {
                        data = rs.getString(6) == null ? Map.of() : JSON.readValue(rs.getString(6), new TypeReference<>() { });
                    } catch (Exception e) {
                        data = Map.of();
                    }
                    items.put(rs.getLong(1), new ItemState(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), data));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT item_id, attr_code, attr_value, attr_type FROM item_attribute WHERE item_id = ANY(?)")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object v = rs.getString(3);
                    if ("json".equals(rs.getString(4))) {
                        try {
                            v = JSON.readValue(rs.getString(3), Object.class);
                        } catch (Exception e) {
                            // keep the text
                        }
                    }
                    items.get(rs.getLong(1)).attributes.put(rs.getString(2), v);
                }
            }
        }
        return items;
    }

    private Map<Long, Long> write(Connection c, Map<Long, ItemState> items, boolean dryRun) throws SQLException {
        Map<Long, Long> versions = new HashMap<>();
        List<Long> dirty = new ArrayList<>();
        for (ItemState it : items.values()) {
            versions.put(it.itemId, it.dirty() ? it.version + 1 : it.version);
            if (it.dirty()) {
                dirty.add(it.itemId);
            }
        }
        if (dryRun || dirty.isEmpty()) {
            return versions;
        }
        List<Long> attrItem = new ArrayList<>();
        List<String> code = new ArrayList<>(), value = new ArrayList<>(), type = new ArrayList<>(), titles = new ArrayList<>();
        for (long id : dirty) {
            ItemState it = items.get(id);
            titles.add(it.title);
            it.changed.forEach((k, v) -> {
                attrItem.add(id);
                code.add(k);
                value.add(stored(v));
                type.add(v instanceof String ? "text" : "json");
            });
        }
        if (!attrItem.isEmpty()) {
            Sql.update(c, """
                    INSERT INTO item_attribute (item_id, attr_code, attr_value, attr_type)
                    SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[])
                    ON CONFLICT (item_id, attr_code) DO UPDATE SET attr_value = excluded.attr_value, attr_type = excluded.attr_type""",
                    Sql.longs(c, attrItem), Sql.texts(c, code), Sql.texts(c, value), Sql.texts(c, type));
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE item i SET title = u.title, version = i.version + 1, updated_at = now()
                FROM unnest(?::bigint[], ?::text[]) AS u(item_id, title) WHERE i.item_id = u.item_id RETURNING i.item_id, i.version""")) {
            ps.setArray(1, Sql.longs(c, dirty));
            ps.setArray(2, Sql.texts(c, titles));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return versions;
    }

    // ---- AddTags / RemoveTags ----------------------------------------------------------------

    /** {@code shopScope}: a merchant's shop (null: every shop); other shops' items answer NOT_FOUND. */
    public ItemResults addTags(AddTagsRequest r, Long shopScope) {
        return changeTags(TagChange.ADD, r.getItemIdsList(), r.getTagsList(), r.getBatchId(), r.getOperatorId(), r.getDryRun(), shopScope);
    }

    /** {@code shopScope}: a merchant's shop (null: every shop); other shops' items answer NOT_FOUND. */
    public ItemResults removeTags(RemoveTagsRequest r, Long shopScope) {
        return changeTags(TagChange.REMOVE, r.getItemIdsList(), r.getTagsList(), r.getBatchId(), r.getOperatorId(), r.getDryRun(), shopScope);
    }

    /** What a tag command does to an item's tags: the list after, and the one statement for a chunk. */
    private enum TagChange {
        // appended in order, each tag once
        ADD("""
                UPDATE item i SET tags = ARRAY(SELECT x.t FROM unnest(i.tags || ?::text[]) WITH ORDINALITY AS x(t, n)
                                               GROUP BY x.t ORDER BY min(x.n)),
                    version = i.version + 1, updated_at = now()
                WHERE i.item_id = ANY(?) RETURNING i.item_id, i.version"""),
        // the others keep their order
        REMOVE("""
                UPDATE item i SET tags = ARRAY(SELECT x.t FROM unnest(i.tags) WITH ORDINALITY AS x(t, n)
                                               WHERE x.t <> ALL(?::text[]) ORDER BY x.n),
                    version = i.version + 1, updated_at = now()
                WHERE i.item_id = ANY(?) RETURNING i.item_id, i.version""");

        final String sql;

        TagChange(String sql) {
            this.sql = sql;
        }

        LinkedHashSet<String> after(List<String> has, Set<String> tags) {
            LinkedHashSet<String> now = new LinkedHashSet<>(has);
            if (this == ADD) {
                now.addAll(tags);
            } else {
                now.removeAll(tags);
            }
            return now;
        }
    }

    private ItemResults changeTags(TagChange change, List<Long> itemIds, List<String> requested, long batchId, long operatorId,
                                   boolean dryRun, Long shopScope) {
        if (itemIds.isEmpty()) {
            throw ApiProblem.missingField("item_ids");
        }
        if (itemIds.size() > MAX_ROWS) {
            throw ApiProblem.invalidField("item_ids", "at most " + MAX_ROWS + " per call", itemIds.size());
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String t : requested) {
            String tag = t.trim();
            if (tag.isEmpty() || tag.length() > MAX_TAG) {
                throw ApiProblem.invalidField("tags", "each tag must be 1.." + MAX_TAG + " characters", t);
            }
            tags.add(tag);
        }
        if (tags.isEmpty()) {
            throw ApiProblem.missingField("tags");
        }
        // a tag retired from the table can still be taken off the items that carry it; a code the
        // table never had is refused either way (most likely a typo in the sheet)
        Optional<TagTable.Refusal> refused = tagTable.refusal(tags, change == TagChange.REMOVE);
        if (refused.isPresent()) { // every item asked for these tags: each one is refused, naming the field
            ItemResult[] out = new ItemResult[itemIds.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Results.error(i, itemIds.get(i), 0, refused.get().code(), "tags", refused.get().message(), false);
            }
            return Results.of(out);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                Map<Long, Object[]> found = new HashMap<>(); // item -> {status, version, tags}
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT item_id, status, version, tags FROM item i WHERE item_id = ANY(?)" + Sql.IN_SCOPE + " FOR UPDATE")) {
                    ps.setArray(1, Sql.longs(c, itemIds));
                    Sql.scope(ps, 2, shopScope);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getLong(1), new Object[] {rs.getString(2), rs.getLong(3), List.of((String[]) rs.getArray(4).getArray())});
                        }
                    }
                }
                List<Long> todo = new ArrayList<>();
                for (Map.Entry<Long, Object[]> e : found.entrySet()) {
                    @SuppressWarnings("unchecked")
                    List<String> has = (List<String>) e.getValue()[2];
                    if (!"deleted".equals(e.getValue()[0]) && !change.after(has, tags).equals(new LinkedHashSet<>(has))) {
                        todo.add(e.getKey());
                    }
                }
                Map<Long, Long> versions = new HashMap<>();
                ProductHistory.Capture captured = todo.isEmpty() || dryRun ? null : history.capture(c, todo);
                if (!todo.isEmpty() && !dryRun) {
                    try (PreparedStatement ps = c.prepareStatement(change.sql)) {
                        ps.setArray(1, Sql.texts(c, tags));
                        ps.setArray(2, Sql.longs(c, todo));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                versions.put(rs.getLong(1), rs.getLong(2));
                            }
                        }
                    }
                    ItemTags.follow(c, todo, operatorId);
                }
                if (captured != null) {
                    Map<Long, Integer> rows = new HashMap<>();
                    for (int i = 0; i < itemIds.size(); i++) {
                        rows.putIfAbsent(itemIds.get(i), i);
                    }
                    captured.record(c, ChangeType.TAG, ChangeCause.batch(batchId, null, operatorId), rows);
                }
                Set<Long> changing = new java.util.HashSet<>(todo);
                ItemResult[] out = new ItemResult[itemIds.size()];
                for (int i = 0; i < out.length; i++) {
                    long id = itemIds.get(i);
                    Object[] f = found.get(id);
                    if (f == null) {
                        out[i] = Results.error(i, id, 0, "NOT_FOUND", "item_id", "no item " + id, false);
                    } else if ("deleted".equals(f[0])) {
                        out[i] = Results.error(i, id, 0, "ILLEGAL_STATUS", "item_id", "item " + id + " is deleted", false);
                    } else {
                        @SuppressWarnings("unchecked")
                        List<String> has = (List<String>) f[2];
                        long v = changing.contains(id) ? versions.getOrDefault(id, (long) f[1] + 1) : (long) f[1];
                        out[i] = Results.ok(i, id, 0, v).toBuilder().setBeforeJson(tagsJson(has))
                                .setAfterJson(tagsJson(change.after(has, tags))).build();
                    }
                }
                if (!dryRun) {
                    announce(versions.keySet(), versions, "tags", batchId, operatorId);
                }
                return Results.of(out);
            }
        });
    }

    private static String tagsJson(java.util.Collection<String> tags) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode a = n.putArray("tags");
        tags.forEach(a::add);
        return n.toString();
    }

    /** One item.changed per changed item, in the change's transaction, so the read side follows edits. */
    private void announce(java.util.Collection<Long> itemIds, Map<Long, Long> versions, String changeType, long batchId, long operatorId) {
        long now = System.currentTimeMillis();
        List<dev.marketops.platform.outbox.Outbox.Message> events = new ArrayList<>(itemIds.size());
        for (long itemId : itemIds) {
            dev.marketops.proto.events.ItemChangedEvent e = dev.marketops.proto.events.ItemChangedEvent.newBuilder()
                    .setEventId(java.util.UUID.randomUUID().toString()).setTimestamp(now).setItemId(itemId)
                    .setItemVersion(versions.getOrDefault(itemId, 0L)).setChangeType(changeType).setBatchId(batchId)
                    .setOperatorId(operatorId).build();
            events.add(new dev.marketops.platform.outbox.Outbox.Message(CatalogueTopics.ITEM_CHANGED, Long.toString(itemId),
                    "item_changed", e.getEventId(), e));
        }
        if (!events.isEmpty()) {
            outbox.enqueueAll(events);
        }
    }
}
