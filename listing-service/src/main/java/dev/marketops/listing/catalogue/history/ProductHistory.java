package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes product change history in the transaction of the change (the caller's connection),
 * one multi-row statement per chunk: the next version of every changed product is taken from
 * its item row (locked by the change already) and the rows are inserted in the same statement.
 * Used by every catalogue change path, either with the changed fields it knows
 * ({@link #record}) or by comparing the products' states before and after ({@link #capture}).
 */
@ApplicationScoped
public class ProductHistory {

    /** One changed product. {@code batchRow}: the caller's row of a batch chunk, else null. */
    public record Change(long itemId, ChangeType type, ObjectNode oldValue, ObjectNode newValue, Integer batchRow, String sagaId) {
        public Change(long itemId, ChangeType type, ObjectNode oldValue, ObjectNode newValue, Integer batchRow) {
            this(itemId, type, oldValue, newValue, batchRow, null);
        }
    }

    /**
     * One statement per chunk: numbers the versions from the item rows, inserts the history rows and
     * answers each item's catalogue version. {@code %s}: what else the item update sets (the item's
     * own version when the caller's change has not bumped it yet).
     */
    private static final String INSERT = """
            WITH d AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[])
                       AS d(item_id, change_type, old_value, new_value, batch_row, saga_id)),
                 v AS (UPDATE item i SET history_version = i.history_version + 1%s FROM d WHERE i.item_id = d.item_id
                       RETURNING i.item_id, i.version, i.history_version, i.shop_id, i.task_id),
                 h AS (INSERT INTO product_version_history (product_id, version_number, change_type, old_value, new_value,
                           change_reason, shop_id, operator_id, operator_name, operator_role, ip_address, device_info, task_id,
                           batch_id, batch_row, supplier_id, supplier_message_id, saga_id, request_id)
                       SELECT v.item_id, v.history_version, d.change_type, d.old_value::jsonb, d.new_value::jsonb, ?, v.shop_id,
                              ?, ?, ?, ?, ?, CASE WHEN ? THEN v.task_id END, ?, d.batch_row, ?, ?, coalesce(d.saga_id, ?), ?
                       FROM v JOIN d ON d.item_id = v.item_id)
            SELECT item_id, version FROM v""";
    private static final String RECORD = INSERT.formatted("");
    private static final String BUMP_AND_RECORD = INSERT.formatted(", version = i.version + 1, updated_at = now()");

    private final HistoryConfig config;
    private final Timer writeTimer;
    private final Counter rows;

    public ProductHistory(HistoryConfig config, MeterRegistry registry) {
        this.config = config;
        this.writeTimer = Timer.builder("marketops_history_write_seconds")
                .description("time to write one chunk of product history (alert above 500 ms, seed 002 section 7)")
                .publishPercentiles(0.99).register(registry);
        this.rows = Counter.builder("marketops_history_rows_total").description("product history rows written").register(registry);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The products' states before a change; {@link Capture#record} after the change writes what differs. */
    public Capture capture(Connection c, Collection<Long> itemIds) throws SQLException {
        return new Capture(enabled() ? ProductState.load(c, itemIds) : Map.of());
    }

    /** Before-state of a change in progress. */
    public final class Capture {
        private final Map<Long, TreeMap<String, JsonNode>> before;

        Capture(Map<Long, TreeMap<String, JsonNode>> before) {
            this.before = before;
        }

        /**
         * Compares with the states now and records one row per product that changed.
         * {@code rows}: the batch row of each product (may be empty).
         */
        public int record(Connection c, ChangeType operation, ChangeCause cause, Map<Long, Integer> rows) throws SQLException {
            if (!enabled() || before.isEmpty()) {
                return 0;
            }
            Map<Long, TreeMap<String, JsonNode>> after = ProductState.load(c, before.keySet());
            List<Change> changes = new ArrayList<>();
            before.forEach((id, b) -> {
                ObjectNode[] d = ProductState.diff(b, after.getOrDefault(id, new TreeMap<>()));
                if (!d[0].isEmpty()) {
                    List<String> paths = new ArrayList<>();
                    d[0].fieldNames().forEachRemaining(paths::add);
                    ChangeType type = operation == ChangeType.ROLLBACK ? ChangeType.ROLLBACK : ChangeType.of(paths, operation);
                    changes.add(new Change(id, type, d[0], d[1], rows.get(id)));
                }
            });
            return ProductHistory.this.record(c, changes, cause);
        }
    }

    /**
     * Publishing (an item going online for the first time): the whole content is new, so the row
     * holds every field, old values null but the status (draft).
     */
    public int recordPublished(Connection c, Collection<Long> itemIds) throws SQLException {
        return recordPublished(c, itemIds, java.util.Map.of());
    }

    /** As {@link #recordPublished(Connection, Collection)}, naming each item's publish saga where known. */
    public int recordPublished(Connection c, Collection<Long> itemIds, java.util.Map<Long, Long> sagaOf) throws SQLException {
        if (!enabled() || itemIds.isEmpty()) {
            return 0;
        }
        List<Change> changes = new ArrayList<>();
        ProductState.load(c, itemIds).forEach((id, now) -> {
            ObjectNode old = ProductState.JSON.createObjectNode();
            ObjectNode neu = ProductState.JSON.createObjectNode();
            now.forEach((path, v) -> {
                old.putNull(path);
                neu.set(path, v);
            });
            old.put("status", "draft");
            Long saga = sagaOf.get(id);
            changes.add(new Change(id, ChangeType.STATUS, old, neu, null, saga == null ? null : saga.toString()));
        });
        return record(c, changes, ChangeCause.publish(null));
    }

    /** Records the changes (one row each) with one statement. */
    public int record(Connection c, List<Change> changes, ChangeCause cause) throws SQLException {
        if (!enabled() || changes.isEmpty()) {
            return 0;
        }
        return write(c, changes, cause, RECORD).size();
    }

    /**
     * With history on ({@link #enabled}; else the caller bumps the versions alone), a change whose
     * changed fields are known and whose items' versions are not bumped yet: bumps
     * every changed item's version and records its history row in the same statement, so the item
     * row is updated once (a second update of a row in one transaction cannot be a HOT update and
     * doubled the price path's cost). Answers each item's new catalogue version.
     */
    public Map<Long, Long> bumpAndRecord(Connection c, List<Change> changes, ChangeCause cause) throws SQLException {
        if (!enabled()) {
            throw new IllegalStateException("history is off: bump the versions without it");
        }
        return changes.isEmpty() ? Map.of() : write(c, changes, cause, BUMP_AND_RECORD);
    }

    private static Map<Long, Long> versions(PreparedStatement ps) throws SQLException {
        Map<Long, Long> out = new java.util.HashMap<>();
        try (java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return out;
    }

    private Map<Long, Long> write(Connection c, List<Change> changes, ChangeCause cause, String sql) throws SQLException {
        long started = System.nanoTime();
        Actor a = ActorPropagation.current();
        boolean byUser = a != null && a.userId() != 0;
        long operatorId = byUser ? a.userId() : cause.operatorId() != null ? cause.operatorId() : 0;
        String role = byUser ? a.type() : cause.operatorRole() != null ? cause.operatorRole()
                : a != null ? a.type() : "system";
        String name = byUser ? a.displayName() : operatorId == 0 ? role : role + "#" + operatorId;
        List<Long> ids = new ArrayList<>(changes.size());
        List<String> types = new ArrayList<>(changes.size()), olds = new ArrayList<>(changes.size()), news = new ArrayList<>(changes.size());
        List<Integer> batchRows = new ArrayList<>(changes.size());
        List<String> sagas = new ArrayList<>(changes.size());
        for (Change ch : changes) {
            ids.add(ch.itemId());
            types.add(ch.type().name());
            olds.add(ch.oldValue().toString());
            news.add(ch.newValue().toString());
            batchRows.add(ch.batchRow());
            sagas.add(ch.sagaId());
        }
        Map<Long, Long> n;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setArray(i++, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(i++, c.createArrayOf("text", types.toArray()));
            ps.setArray(i++, c.createArrayOf("text", olds.toArray()));
            ps.setArray(i++, c.createArrayOf("text", news.toArray()));
            ps.setArray(i++, c.createArrayOf("integer", batchRows.toArray()));
            ps.setArray(i++, c.createArrayOf("text", sagas.toArray()));
            ps.setString(i++, cut(cause.reason(), 255));
            ps.setLong(i++, operatorId);
            ps.setString(i++, cut(name, 100));
            ps.setString(i++, cut(role, 30));
            ps.setString(i++, byUser ? cut(a.ip(), 64) : null);
            ps.setString(i++, byUser ? cut(a.userAgent(), 300) : null);
            ps.setBoolean(i++, cause.taskFromItem());
            ps.setObject(i++, cause.batchId(), java.sql.Types.BIGINT);
            ps.setString(i++, cause.supplierId());
            ps.setString(i++, cause.supplierMessageId());
            ps.setString(i++, cause.sagaId());
            ps.setString(i++, cause.requestId());
            n = versions(ps);
        }
        writeTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        rows.increment(n.size());
        return n;
    }

    /** Puts {@code path} into a change's old and new values when the number moved (a row holds only what changed). */
    public static void putIfChanged(ObjectNode oldValue, ObjectNode newValue, String path, long before, long after) {
        if (before != after) {
            oldValue.put(path, before);
            newValue.put(path, after);
        }
    }

    /** {@code {"path": value}}: the old or new value of a one-field change. */
    public static ObjectNode field(String path, String value) {
        return ProductState.JSON.createObjectNode().put(path, value);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
