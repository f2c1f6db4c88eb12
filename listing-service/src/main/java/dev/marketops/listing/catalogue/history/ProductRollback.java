package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.listing.catalogue.CatalogueTopics;
import dev.marketops.listing.catalogue.ItemTags;
import dev.marketops.listing.catalogue.domain.PriceRules;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.events.ItemChangedEvent;
import dev.marketops.validation.ListingValidator;
import dev.marketops.validation.ValidationLevel;
import dev.marketops.validation.Violation;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Puts products back as they were: one product to a version (a normal catalogue command:
 * validated by the category's rules and the price guards, optimistic-locked on the item version,
 * recorded as a ROLLBACK version), or many products to a point in time (the restore batch
 * operation). Goods status is not rolled back here: it changes only through the goods status
 * command and its side effects; a status difference is reported as skipped.
 */
@ApplicationScoped
public class ProductRollback {

    /** What a rollback did or, in a dry run, would do. */
    public record Outcome(String productId, boolean dryRun, boolean applied, long itemVersion, List<VersionDiff.FieldChange> changes,
                          List<String> lines, List<String> skipped) {
    }

    /** One product to restore: to a version, to a point in time, or to explicit values (undo of a restore). */
    public record Target(int index, long itemId, Long toVersion, Instant atTime, Map<String, JsonNode> values,
                         Map<String, JsonNode> expected) {
    }

    /** The verdict for one target; {@code before}/{@code after} hold the restored paths. */
    public record Verdict(int index, long itemId, boolean ok, String errorCode, String errorField, String message, long itemVersion,
                          ObjectNode before, ObjectNode after, List<String> skipped) {
    }

    private record Item(long itemId, long shopId, long categoryId, String status, long version, long historyVersion,
                        Map<String, Object> taskData) {
    }

    private final AgroalDataSource ds;
    private final ProductHistory history;
    private final Outbox outbox;
    private final CategoryDirectory categories;
    private final ListingValidator validator = ListingValidator.standard(Clock.systemUTC());

    public ProductRollback(AgroalDataSource ds, ProductHistory history, Outbox outbox, CategoryDirectory categories) {
        this.ds = ds;
        this.history = history;
        this.outbox = outbox;
        this.categories = categories;
    }

    /** 404 unless the product exists and is in the caller's shop (null scope: every shop). */
    public void requireVisible(long itemId, Long shopScope) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT shop_id FROM item WHERE item_id = ?")) {
            ps.setLong(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || (shopScope != null && rs.getLong(1) != shopScope)) {
                    throw ApiProblem.notFound("UNKNOWN_ITEM", "no item with id " + itemId).with("itemId", Long.toString(itemId));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Outcome toVersion(long itemId, long version, Long expectedVersion, String reason, boolean dryRun, Long shopScope) {
        requireVisible(itemId, shopScope);
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                Item it = lock(c, List.of(itemId), shopScope).get(itemId);
                if (version < 1 || version > it.historyVersion()) {
                    throw ApiProblem.invalidField("toVersion", "must be a version of this product, 1.." + it.historyVersion(), version);
                }
                if (expectedVersion != null && expectedVersion != it.version()) {
                    throw ApiProblem.conflict("VERSION_CHANGED", "the product is at version " + it.version() + ", not the expected "
                            + expectedVersion + "; reload and retry").with("itemVersion", it.version());
                }
                Verdict v = restore(c, List.of(new Target(0, itemId, version, null, null, null)), dryRun,
                        ChangeCause.of(reason == null || reason.isBlank() ? "rollback to version " + version : reason), shopScope).get(0);
                if (!v.ok()) {
                    throw new ApiProblem(409, v.errorCode(), "Rollback refused", v.message()).with("field", v.errorField())
                            .with("itemId", Long.toString(itemId));
                }
                List<VersionDiff.FieldChange> changes = new ArrayList<>();
                v.before().fieldNames().forEachRemaining(p -> changes.add(new VersionDiff.FieldChange(p, ChangeType.ofPath(p).name(),
                        v.before().get(p), v.after().get(p))));
                return new Outcome(Long.toString(itemId), dryRun, !dryRun && !changes.isEmpty(), v.itemVersion(), changes,
                        VersionDiff.lines(changes), v.skipped());
            }
        });
    }

    public static final int MAX_TARGETS = 2000;

    /** RestoreItems: one transaction for the chunk; one result per target in request order. */
    public dev.marketops.proto.catalog.ItemResults restoreItems(dev.marketops.proto.catalog.RestoreItemsRequest r, Long shopScope) {
        if (r.getTargetsCount() == 0) {
            throw ApiProblem.missingField("targets");
        }
        if (r.getTargetsCount() > MAX_TARGETS) {
            throw ApiProblem.invalidField("targets", "at most " + MAX_TARGETS + " per call", r.getTargetsCount());
        }
        List<Target> targets = new ArrayList<>();
        for (dev.marketops.proto.catalog.RestoreTarget t : r.getTargetsList()) {
            Map<String, JsonNode> values = t.getValuesJson().isBlank() ? null : paths(t.getValuesJson(), "values_json");
            Map<String, JsonNode> expected = t.getExpectedJson().isBlank() ? null : paths(t.getExpectedJson(), "expected_json");
            if (values == null && t.getToVersion() == 0 && t.getAtTimeMillis() == 0) {
                throw ApiProblem.invalidField("targets", "each target needs at_time_millis, to_version or values_json", t.getIndex());
            }
            targets.add(new Target(t.getIndex(), t.getItemId(), t.getToVersion() == 0 ? null : t.getToVersion(),
                    t.getAtTimeMillis() == 0 ? null : Instant.ofEpochMilli(t.getAtTimeMillis()), values, expected));
        }
        ChangeCause cause = ChangeCause.batch(r.getBatchId(), r.getReason().isBlank() ? "restore" : r.getReason(), r.getOperatorId());
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                List<Verdict> verdicts = restore(c, targets, r.getDryRun(), cause, shopScope);
                dev.marketops.proto.catalog.ItemResults.Builder b = dev.marketops.proto.catalog.ItemResults.newBuilder();
                int ok = 0;
                for (Verdict v : verdicts) {
                    dev.marketops.proto.catalog.ItemResult.Builder x = dev.marketops.proto.catalog.ItemResult.newBuilder()
                            .setIndex(v.index()).setItemId(v.itemId()).setOk(v.ok()).setItemVersion(v.itemVersion());
                    if (v.ok()) {
                        ok++;
                        x.setBeforeJson(v.before().toString()).setAfterJson(v.after().toString());
                    } else {
                        x.setErrorCode(v.errorCode()).setErrorField(v.errorField() == null ? "" : v.errorField())
                                .setErrorMessage(v.message());
                    }
                    b.addResults(x);
                }
                return b.setSucceeded(ok).setFailed(verdicts.size() - ok).build();
            }
        });
    }

    private static Map<String, JsonNode> paths(String json, String field) {
        try {
            JsonNode n = ProductState.JSON.readTree(json);
            if (!n.isObject()) {
                throw ApiProblem.invalidField(field, "must be a JSON object of field paths", json);
            }
            Map<String, JsonNode> out = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiProblem.invalidField(field, "must be a JSON object of field paths", json);
        }
    }

    /**
     * Restores the targets on the caller's connection and transaction (set-based: a few reads and
     * writes for the lot). Each target is decided on its own; refused ones change nothing.
     */
    public List<Verdict> restore(Connection c, List<Target> targets, boolean dryRun, ChangeCause cause, Long shopScope) throws SQLException {
        List<Long> ids = targets.stream().map(Target::itemId).distinct().toList();
        Map<Long, Item> items = lock(c, ids, shopScope);
        Map<Long, TreeMap<String, JsonNode>> now = ProductState.load(c, items.keySet());
        Map<Long, List<HistoryEntry>> byVersion = new HashMap<>();
        Map<Long, List<HistoryEntry>> byTime = new HashMap<>();
        later(c, targets, byVersion, byTime);
        List<Verdict> out = new ArrayList<>();
        Map<Long, Map<String, JsonNode>> writes = new LinkedHashMap<>();
        for (Target t : targets) {
            Item it = items.get(t.itemId());
            if (it == null) {
                out.add(refused(t, "NOT_FOUND", "item_id", "no item " + t.itemId(), 0));
                continue;
            }
            if ("deleted".equals(it.status()) || "risk_control".equals(it.status())) {
                out.add(refused(t, "ILLEGAL_STATUS", "status", "item " + t.itemId() + " is " + it.status()
                        + "; its content cannot be restored in this state", it.version()));
                continue;
            }
            Map<String, JsonNode> current = now.get(t.itemId());
            Map<String, JsonNode> target;
            if (t.values() != null) {
                target = new LinkedHashMap<>(t.values());
                target.entrySet().removeIf(e -> ProductState.same(e.getValue(), current.get(e.getKey())));
            } else {
                List<HistoryEntry> later = t.toVersion() != null ? byVersion.getOrDefault(t.itemId(), List.of())
                        : byTime.getOrDefault(t.itemId(), List.of());
                if (t.atTime() != null && !later.isEmpty() && later.get(0).versionNumber() == 1) {
                    out.add(refused(t, "NOT_AT_TARGET", "at_time", "item " + t.itemId() + " was not published yet at " + t.atTime(),
                            it.version()));
                    continue;
                }
                target = VersionDiff.rewind(current, later);
            }
            if (t.expected() != null) {
                String moved = null;
                for (Map.Entry<String, JsonNode> e : t.expected().entrySet()) {
                    if (!ProductState.same(e.getValue(), current.get(e.getKey()))) {
                        moved = e.getKey();
                        break;
                    }
                }
                if (moved != null) {
                    out.add(refused(t, "CONFLICT", moved, moved + " changed since: it is now " + current.get(moved), it.version()));
                    continue;
                }
            }
            List<String> skipped = new ArrayList<>();
            if (target.remove("status") != null) {
                skipped.add("status");
            }
            Verdict refusal = check(t, it, current, target);
            if (refusal != null) {
                out.add(refusal);
                continue;
            }
            ObjectNode before = ProductState.JSON.createObjectNode();
            ObjectNode after = ProductState.JSON.createObjectNode();
            target.forEach((p, v) -> {
                before.set(p, current.getOrDefault(p, com.fasterxml.jackson.databind.node.NullNode.instance));
                after.set(p, v);
            });
            if (!target.isEmpty()) {
                writes.computeIfAbsent(t.itemId(), k -> new LinkedHashMap<>()).putAll(target);
                target.forEach(current::put); // a later target of the same item sees this one
            }
            out.add(new Verdict(t.index(), t.itemId(), true, null, null, null,
                    target.isEmpty() || dryRun ? it.version() : it.version() + 1, before, after, skipped));
        }
        if (!dryRun && !writes.isEmpty()) {
            Map<Long, Integer> rows = new HashMap<>();
            targets.forEach(t -> rows.putIfAbsent(t.itemId(), t.index()));
            ProductHistory.Capture captured = history.capture(c, writes.keySet());
            Map<Long, Long> versions = write(c, writes, cause.operatorId() == null ? 0 : cause.operatorId());
            captured.record(c, ChangeType.ROLLBACK, cause, rows);
            announce(writes.keySet(), versions, cause);
        }
        return out;
    }

    private static Verdict refused(Target t, String code, String field, String message, long version) {
        return new Verdict(t.index(), t.itemId(), false, code, field, message, version, null, null, List.of());
    }

    /** The rules a restored value must pass, as for any change: the category's attribute rules, price and stock guards. */
    private Verdict check(Target t, Item it, Map<String, JsonNode> current, Map<String, JsonNode> target) {
        Map<String, Object> attrEdit = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : target.entrySet()) {
            String p = e.getKey();
            JsonNode v = e.getValue();
            if (p.equals("title")) {
                if (v.isNull() || v.asText().isBlank() || v.asText().length() > 255) {
                    return refused(t, "INVALID_FIELD", p, "title must be 1..255 characters", it.version());
                }
            } else if (p.equals("tags")) {
                if (!v.isArray()) {
                    return refused(t, "INVALID_FIELD", p, "tags must be a list", it.version());
                }
            } else if (p.startsWith("attributes.")) {
                if (!v.isNull()) {
                    attrEdit.put(p.substring("attributes.".length()), ProductState.JSON.convertValue(v, Object.class));
                }
            } else {
                ProductState.SkuPath sp = ProductState.skuPath(p);
                if (sp == null) {
                    return refused(t, "INVALID_FIELD", p, "not a restorable field", it.version());
                }
                String skuBase = "skus." + sp.skuCode() + ".name";
                if (!current.containsKey(skuBase)) {
                    return refused(t, "CONFLICT", p, "SKU " + sp.skuCode() + " no longer exists", it.version());
                }
                if (v.isNull()) {
                    return refused(t, "NOT_AT_TARGET", p, (sp.slot() == null ? "SKU " + sp.skuCode() : "date " + sp.slot())
                            + " did not exist then; the catalogue does not remove SKUs or dates by a restore", it.version());
                }
                if (sp.slot() != null && !current.containsKey("skus." + sp.skuCode() + ".calendar." + sp.slot() + ".price_cents")) {
                    return refused(t, "CONFLICT", p, "date " + sp.slot() + " of SKU " + sp.skuCode() + " no longer exists", it.version());
                }
                if (p.endsWith(".stock") && v.asLong() < -1) {
                    return refused(t, "STOCK_NEGATIVE", p, "stock must be -1 (unlimited) or more", it.version());
                }
                if (p.endsWith("sale_price_cents") || p.endsWith(".price_cents")) {
                    String faceKey = "skus." + sp.skuCode() + ".face_value_cents";
                    JsonNode face = target.getOrDefault(faceKey, current.get(faceKey));
                    PriceRules.Refusal r = PriceRules.check(0, v.asLong(), v.asLong(), face == null ? 0 : face.asLong(), 0, true);
                    if (r != null) {
                        return refused(t, r.code(), p, r.message(), it.version());
                    }
                }
            }
        }
        if (!attrEdit.isEmpty()) {
            Map<String, Object> merged = new HashMap<>(it.taskData());
            current.forEach((p, v) -> {
                if (p.startsWith("attributes.")) {
                    merged.put(p.substring("attributes.".length()), ProductState.JSON.convertValue(v, Object.class));
                }
            });
            merged.putAll(attrEdit);
            for (Violation violation : validator.validate(categories.schema(it.categoryId()), merged, ValidationLevel.FULL).violations()) {
                if (attrEdit.containsKey(violation.field())) {
                    return refused(t, "VALIDATION_FAILED", "attributes." + violation.field(), violation.message(), it.version());
                }
            }
        }
        return null;
    }

    private Map<Long, Item> lock(Connection c, Collection<Long> ids, Long shopScope) throws SQLException {
        Map<Long, Item> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.item_id, i.shop_id, i.category_id, i.status, i.version, i.history_version, t.item_data::text
                FROM item i LEFT JOIN listing_task t ON t.task_id = i.task_id
                WHERE i.item_id = ANY(?) AND (CAST(? AS bigint) IS NULL OR i.shop_id = ?) ORDER BY i.item_id FOR UPDATE OF i""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setObject(2, shopScope, java.sql.Types.BIGINT);
            ps.setObject(3, shopScope, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> data;
                    try {
                        data = rs.getString(7) == null ? Map.of() : ProductState.JSON.readValue(rs.getString(7), new TypeReference<>() { });
                    } catch (Exception e) {
                        data = Map.of();
                    }
                    out.put(rs.getLong(1), new Item(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), data));
                }
            }
        }
        return out;
    }

    /** The history rows after each target's version or time, oldest first: one read per kind of target. */
    private static void later(Connection c, List<Target> targets, Map<Long, List<HistoryEntry>> byVersion,
                              Map<Long, List<HistoryEntry>> byTime) throws SQLException {
        List<Long> vItems = new ArrayList<>(), vVersions = new ArrayList<>(), tItems = new ArrayList<>();
        List<java.time.OffsetDateTime> tTimes = new ArrayList<>();
        for (Target t : targets) {
            if (t.values() != null) {
                continue;
            }
            if (t.toVersion() != null) {
                vItems.add(t.itemId());
                vVersions.add(t.toVersion());
            } else if (t.atTime() != null) {
                tItems.add(t.itemId());
                tTimes.add(t.atTime().atOffset(ZoneOffset.UTC));
            }
        }
        if (!vItems.isEmpty()) {
            read(c, "SELECT h.product_id, h.version_number, h.old_value::text, h.new_value::text FROM product_version_history h "
                    + "JOIN unnest(?::bigint[], ?::bigint[]) AS u(item_id, v) ON h.product_id = u.item_id AND h.version_number > u.v "
                    + "ORDER BY h.product_id, h.version_number", c.createArrayOf("bigint", vItems.toArray()),
                    c.createArrayOf("bigint", vVersions.toArray()), byVersion);
        }
        if (!tItems.isEmpty()) {
            read(c, "SELECT h.product_id, h.version_number, h.old_value::text, h.new_value::text FROM product_version_history h "
                    + "JOIN unnest(?::bigint[], ?::timestamptz[]) AS u(item_id, t) ON h.product_id = u.item_id AND h.change_time > u.t "
                    + "ORDER BY h.product_id, h.version_number", c.createArrayOf("bigint", tItems.toArray()),
                    c.createArrayOf("timestamptz", tTimes.stream().map(java.time.OffsetDateTime::toString).toArray()), byTime);
        }
    }

    private static void read(Connection c, String sql, java.sql.Array a, java.sql.Array b, Map<Long, List<HistoryEntry>> into)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, a);
            ps.setArray(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode old, neu;
                    try {
                        old = (ObjectNode) ProductState.JSON.readTree(rs.getString(3));
                        neu = (ObjectNode) ProductState.JSON.readTree(rs.getString(4));
                    } catch (Exception e) {
                        throw new SQLException(e);
                    }
                    into.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new HistoryEntry(null, null, rs.getLong(2), null, old,
                            neu, null, null, null, null, null, null, null, null, null));
                }
            }
        }
    }

    /** The restored values written set-based: item, attributes, SKUs, calendar; then the item versions. */
    private static Map<Long, Long> write(Connection c, Map<Long, Map<String, JsonNode>> writes, long operatorId) throws SQLException {
        List<Long> titleItem = new ArrayList<>(), tagItem = new ArrayList<>(), attrItem = new ArrayList<>(), delItem = new ArrayList<>();
        List<String> titles = new ArrayList<>(), tagsJson = new ArrayList<>(), codes = new ArrayList<>(), values = new ArrayList<>(),
                types = new ArrayList<>(), delCodes = new ArrayList<>();
        List<Long> skuItem = new ArrayList<>(), calItem = new ArrayList<>();
        List<String> skuCode = new ArrayList<>(), skuField = new ArrayList<>(), skuValue = new ArrayList<>();
        List<String> calCode = new ArrayList<>(), calSlot = new ArrayList<>(), calField = new ArrayList<>();
        List<Long> calValue = new ArrayList<>();
        writes.forEach((id, target) -> target.forEach((p, v) -> {
            if (p.equals("title")) {
                titleItem.add(id);
                titles.add(v.asText());
            } else if (p.equals("tags")) {
                tagItem.add(id);
                tagsJson.add(v.toString());
            } else if (p.startsWith("attributes.")) {
                String code = p.substring("attributes.".length());
                if (v.isNull()) {
                    delItem.add(id);
                    delCodes.add(code);
                } else {
                    attrItem.add(id);
                    codes.add(code);
                    values.add(v.isTextual() ? v.asText() : v.toString());
                    types.add(v.isTextual() ? "text" : "json");
                }
            } else {
                ProductState.SkuPath sp = ProductState.skuPath(p);
                if (sp.slot() == null) {
                    skuItem.add(id);
                    skuCode.add(sp.skuCode());
                    skuField.add(sp.field());
                    skuValue.add(v.isTextual() ? v.asText() : v.toString());
                } else {
                    calItem.add(id);
                    calCode.add(sp.skuCode());
                    calSlot.add(sp.slot());
                    calField.add(sp.field());
                    calValue.add(v.asLong());
                }
            }
        }));
        if (!titleItem.isEmpty()) {
            update(c, "UPDATE item i SET title = u.t FROM unnest(?::bigint[], ?::text[]) AS u(id, t) WHERE i.item_id = u.id",
                    c.createArrayOf("bigint", titleItem.toArray()), c.createArrayOf("text", titles.toArray()));
        }
        if (!tagItem.isEmpty()) {
            update(c, "UPDATE item i SET tags = ARRAY(SELECT jsonb_array_elements_text(u.t::jsonb)) FROM unnest(?::bigint[], ?::text[]) AS u(id, t) "
                    + "WHERE i.item_id = u.id", c.createArrayOf("bigint", tagItem.toArray()), c.createArrayOf("text", tagsJson.toArray()));
            ItemTags.follow(c, tagItem, operatorId);
        }
        if (!attrItem.isEmpty()) {
            update(c, """
                    INSERT INTO item_attribute (item_id, attr_code, attr_value, attr_type)
                    SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[])
                    ON CONFLICT (item_id, attr_code) DO UPDATE SET attr_value = excluded.attr_value, attr_type = excluded.attr_type""",
                    c.createArrayOf("bigint", attrItem.toArray()), c.createArrayOf("text", codes.toArray()),
                    c.createArrayOf("text", values.toArray()), c.createArrayOf("text", types.toArray()));
        }
        if (!delItem.isEmpty()) {
            update(c, "DELETE FROM item_attribute a USING unnest(?::bigint[], ?::text[]) AS u(id, code) WHERE a.item_id = u.id AND a.attr_code = u.code",
                    c.createArrayOf("bigint", delItem.toArray()), c.createArrayOf("text", delCodes.toArray()));
        }
        if (!skuItem.isEmpty()) {
            // One row per SKU field; each column takes its restored value where given.
            update(c, """
                    UPDATE sku s SET
                        name = COALESCE(m.name, s.name), status = COALESCE(m.status, s.status),
                        sale_price_cents = COALESCE(m.sale, s.sale_price_cents), face_value_cents = COALESCE(m.face, s.face_value_cents),
                        stock = COALESCE(m.stock, s.stock), updated_at = now()
                    FROM (SELECT u.id, u.code,
                                 max(u.v) FILTER (WHERE u.f = 'name') AS name, max(u.v) FILTER (WHERE u.f = 'status') AS status,
                                 max(u.v::bigint) FILTER (WHERE u.f = 'sale_price_cents') AS sale,
                                 max(u.v::bigint) FILTER (WHERE u.f = 'face_value_cents') AS face,
                                 max(u.v::bigint) FILTER (WHERE u.f = 'stock') AS stock
                          FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) AS u(id, code, f, v) GROUP BY u.id, u.code) m
                    WHERE s.item_id = m.id AND s.sku_code = m.code""",
                    c.createArrayOf("bigint", skuItem.toArray()), c.createArrayOf("text", skuCode.toArray()),
                    c.createArrayOf("text", skuField.toArray()), c.createArrayOf("text", skuValue.toArray()));
        }
        if (!calItem.isEmpty()) {
            update(c, """
                    UPDATE sku_calendar k SET price_cents = COALESCE(m.price, k.price_cents), stock = COALESCE(m.stock, k.stock)
                    FROM (SELECT s.sku_id, u.slot, max(u.v) FILTER (WHERE u.f = 'price_cents') AS price,
                                 max(u.v) FILTER (WHERE u.f = 'stock') AS stock
                          FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS u(id, code, slot, f, v)
                          JOIN sku s ON s.item_id = u.id AND s.sku_code = u.code GROUP BY s.sku_id, u.slot) m
                    WHERE k.sku_id = m.sku_id AND k.slot = m.slot""",
                    c.createArrayOf("bigint", calItem.toArray()), c.createArrayOf("text", calCode.toArray()),
                    c.createArrayOf("text", calSlot.toArray()), c.createArrayOf("text", calField.toArray()),
                    c.createArrayOf("bigint", calValue.toArray()));
        }
        Map<Long, Long> versions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE item SET version = version + 1, updated_at = now() WHERE item_id = ANY(?) RETURNING item_id, version")) {
            ps.setArray(1, c.createArrayOf("bigint", writes.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return versions;
    }

    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    /** One item.changed per restored item, in the restore's transaction (the read side reloads it). */
    private void announce(Collection<Long> itemIds, Map<Long, Long> versions, ChangeCause cause) {
        long now = System.currentTimeMillis();
        List<Outbox.Message> events = new ArrayList<>();
        for (long id : itemIds) {
            ItemChangedEvent e = ItemChangedEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTimestamp(now).setItemId(id)
                    .setItemVersion(versions.getOrDefault(id, 0L)).setChangeType("rollback")
                    .setBatchId(cause.batchId() == null ? 0 : cause.batchId()).build();
            events.add(new Outbox.Message(CatalogueTopics.ITEM_CHANGED, Long.toString(id), "item_changed", e.getEventId(), e));
        }
        outbox.enqueueAll(events);
    }
}
