package dev.marketops.listing.catalogue;

import dev.marketops.listing.catalogue.history.ChangeCause;
import dev.marketops.listing.catalogue.history.ChangeType;
import dev.marketops.listing.catalogue.history.ProductHistory;
import dev.marketops.listing.catalogue.domain.GoodsStatusRules;
import dev.marketops.listing.catalogue.domain.GoodsStatusRules.Status;
import dev.marketops.listing.catalogue.domain.GoodsStatusRules.Verdict;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Goods status changes (seed 004), set-based: the items are locked and read in one statement,
 * the rules decide per item, one UPDATE changes those that move (times and version), one
 * insert writes the operation log, one the events (goods.status.changed, one per item).
 * Goods-level requests are applied directly; a shop's request is applied chunk by chunk
 * through {@link #applyShopChunk}.
 */
@ApplicationScoped
public class GoodsStatusService {

    public static final int MAX_ITEMS = 2000;

    /** Who asks and why. {@code shopLevel}: an expanded shop request (first online time untouched, seed 004 note 1). */
    public record Command(Status target, String operatorType, long operatorId, String reason, String requestId, boolean shopLevel) {
    }

    record Row(long itemId, long shopId, long categoryId, Status status, long version, long taskId) {
    }

    /** What one chunk did. */
    public record ChunkOutcome(int seen, int changed, int skipped, long lastItemId) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    GoodsEvents events;
    @Inject
    ProductHistory history;

    public static Command command(String target, String operatorType, long operatorId, String reason, String requestId, boolean shopLevel) {
        Status to = Status.of(target);
        if (to == null || !GoodsStatusRules.TARGETS.contains(to)) {
            throw ApiProblem.invalidField("target_status", "must be one of online, offline, deleted, risk_control", target);
        }
        if (!GoodsStatusRules.OPERATOR_TYPES.contains(operatorType)) {
            throw ApiProblem.invalidField("operator_type", "must be one of " + GoodsStatusRules.OPERATOR_TYPES, operatorType);
        }
        if (reason != null && reason.length() > 500) {
            throw ApiProblem.invalidField("reason", "must be at most 500 characters", reason.length());
        }
        return new Command(to, operatorType, operatorId, reason, requestId == null || requestId.isEmpty() ? null : requestId, shopLevel);
    }

    /**
     * Changes the goods by id. {@code shopScope}: the merchant's shop the caller is confined to
     * (null: every shop); goods of other shops are not read and answer NOT_FOUND like unknown ids.
     */
    public ItemResults changeStatus(List<Long> itemIds, Command cmd, boolean dryRun, Long shopScope) {
        if (itemIds.isEmpty()) {
            throw ApiProblem.missingField("item_ids");
        }
        if (itemIds.size() > MAX_ITEMS) {
            throw ApiProblem.invalidField("item_ids", "at most " + MAX_ITEMS + " per call", itemIds.size());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                Map<Long, Row> rows = lock(c, Sql.longs(c, new ArrayList<>(new LinkedHashSet<>(itemIds))), shopScope);
                Map<Long, ItemResult> verdicts = new HashMap<>();
                List<Row> moving = new ArrayList<>();
                for (Row r : rows.values()) {
                    Verdict v = GoodsStatusRules.decide(r.status(), cmd.target(), cmd.operatorType());
                    if (!v.ok()) {
                        verdicts.put(r.itemId(), Results.error(0, r.itemId(), r.taskId(), v.errorCode(), "status", v.message(), false)
                                .toBuilder().setItemVersion(r.version()).build());
                    } else if (v.change()) {
                        moving.add(r);
                    } else {
                        verdicts.put(r.itemId(), Results.ok(0, r.itemId(), r.taskId(), r.version()));
                    }
                }
                Map<Long, Long> versions = dryRun ? predicted(moving) : apply(c, moving, cmd);
                for (Row r : moving) {
                    verdicts.put(r.itemId(), Results.ok(0, r.itemId(), r.taskId(), versions.get(r.itemId())).toBuilder()
                            .setBeforeJson("{\"status\":\"" + r.status().wire() + "\"}")
                            .setAfterJson("{\"status\":\"" + cmd.target().wire() + "\"}").build());
                }
                ItemResult[] out = new ItemResult[itemIds.size()];
                for (int i = 0; i < out.length; i++) {
                    long id = itemIds.get(i);
                    ItemResult r = verdicts.get(id);
                    out[i] = r == null ? Results.error(i, id, 0, "NOT_FOUND", "item_id", "no item " + id, false)
                            : r.toBuilder().setIndex(i).build();
                }
                return Results.of(out);
            }
        });
    }

    /** One chunk of a shop request: the next {@code size} non-deleted goods after the cursor (seed 004 note 4). */
    public ChunkOutcome applyShopChunk(Connection c, long shopId, long afterItemId, int size, Command cmd) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.item_id, i.shop_id, i.category_id, i.status, i.version, i.task_id "
                + "FROM item i WHERE i.shop_id = ? AND i.status <> 'deleted' AND i.item_id > ? ORDER BY i.item_id LIMIT ? FOR UPDATE")) {
            ps.setLong(1, shopId);
            ps.setLong(2, afterItemId);
            ps.setInt(3, size);
            Map<Long, Row> rows = read(ps);
            List<Row> moving = new ArrayList<>();
            int skipped = 0;
            long last = afterItemId;
            for (Row r : rows.values()) {
                last = Math.max(last, r.itemId());
                Verdict v = GoodsStatusRules.decide(r.status(), cmd.target(), cmd.operatorType());
                if (v.change()) {
                    moving.add(r);
                } else if (!v.ok()) {
                    skipped++;
                }
            }
            apply(c, moving, cmd);
            return new ChunkOutcome(rows.size(), moving.size(), skipped, last);
        }
    }

    private Map<Long, Row> lock(Connection c, java.sql.Array itemIds, Long shopScope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.item_id, i.shop_id, i.category_id, i.status, i.version, i.task_id "
                + "FROM item i WHERE i.item_id = ANY(?)" + Sql.IN_SCOPE + " ORDER BY i.item_id FOR UPDATE")) {
            ps.setArray(1, itemIds);
            Sql.scope(ps, 2, shopScope);
            return read(ps);
        }
    }

    private static Map<Long, Row> read(PreparedStatement ps) throws SQLException {
        Map<Long, Row> rows = new java.util.LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getLong(1), new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), Status.of(rs.getString(4)),
                        rs.getLong(5), rs.getLong(6)));
            }
        }
        return rows;
    }

    private static Map<Long, Long> predicted(List<Row> moving) {
        Map<Long, Long> out = new HashMap<>();
        moving.forEach(r -> out.put(r.itemId(), r.version() + 1));
        return out;
    }

    private Map<Long, Long> apply(Connection c, List<Row> moving, Command cmd) throws SQLException {
        Map<Long, Long> versions = new HashMap<>();
        if (moving.isEmpty()) {
            return versions;
        }
        List<Long> ids = moving.stream().map(Row::itemId).toList();
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE item SET status = ?, version = version + 1, updated_at = now(),
                    first_online_at = CASE WHEN ? THEN COALESCE(first_online_at, now()) ELSE first_online_at END,
                    last_online_at = CASE WHEN ? THEN now() ELSE last_online_at END,
                    last_offline_at = CASE WHEN ? THEN last_offline_at ELSE now() END
                WHERE item_id = ANY(?) RETURNING item_id, version""")) {
            boolean online = cmd.target() == Status.ONLINE;
            ps.setString(1, cmd.target().wire());
            ps.setBoolean(2, online && !cmd.shopLevel());
            ps.setBoolean(3, online);
            ps.setBoolean(4, online);
            ps.setArray(5, Sql.longs(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        Sql.update(c, """
                INSERT INTO goods_status_log (item_id, from_status, to_status, operator_type, operator_id, reason, request_id)
                SELECT u.item_id, u.from_status, ?, ?, ?, ?, ? FROM unnest(?::bigint[], ?::text[]) AS u(item_id, from_status)""",
                cmd.target().wire(), cmd.operatorType(), cmd.operatorId(), cmd.reason(), cmd.requestId(),
                Sql.longs(c, ids), Sql.texts(c, moving.stream().map(r -> r.status().wire()).toList()));
        history.record(c, moving.stream().map(r -> new ProductHistory.Change(r.itemId(), ChangeType.STATUS,
                ProductHistory.field("status", r.status().wire()), ProductHistory.field("status", cmd.target().wire()), null)).toList(),
                ChangeCause.request(cmd.reason(), cmd.requestId(), cmd.operatorId(), cmd.operatorType()));
        events.enqueue(moving.stream().map(r -> new GoodsEvents.Change(r.itemId(), r.shopId(), r.categoryId(), r.status().wire(),
                cmd.target().wire(), versions.get(r.itemId()))).toList(), cmd.operatorType(), cmd.operatorId(), cmd.reason(),
                cmd.requestId());
        return versions;
    }
}
