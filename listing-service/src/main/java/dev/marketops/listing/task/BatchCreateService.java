package dev.marketops.listing.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.proto.events.ListingEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates many drafts at once, set-based: the items are checked one by one (each failure is
 * reported with its index, field and reason, and does not stop the others), then all good
 * items are written with one multi-row insert per table (tasks, history, outbox) in a single
 * transaction. Retried items (same idempotency key) return the first task.
 */
@ApplicationScoped
public class BatchCreateService {

    public static final int MAX_ITEMS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One requested task; {@code unreadable} carries a problem found while decoding it (e.g. bad item JSON). */
    public record Item(CreateListingCommand command, String idempotencyKey, ApiProblem unreadable) {

        public Item(CreateListingCommand command, String idempotencyKey) {
            this(command, idempotencyKey, null);
        }
    }

    public record Result(int index, Long taskId, String taskCode, boolean replayed, ApiProblem error) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    SnowflakeIds ids;
    @Inject
    Outbox outbox;
    @Inject
    CategoryDirectory categories;
    @Inject
    ListingOrigins origins;

    /** Creates the items as {@code actor} (its role decides the sources and shops it may claim, see ListingOrigins). */
    public List<Result> create(List<Item> requested, Long batchId, String taskType, Actor actor) {
        List<Item> items = requested;
        if (items == null || items.isEmpty()) {
            throw ApiProblem.missingField("tasks");
        }
        if (items.size() > MAX_ITEMS) {
            throw ApiProblem.invalidField("tasks", "at most " + MAX_ITEMS + " tasks per call", items.size());
        }
        String type = taskType == null ? "batch_import" : taskType;
        if (!ListingVocabulary.TASK_TYPES.contains(type)) {
            throw ApiProblem.invalidField("taskType", "must be one of " + ListingVocabulary.TASK_TYPES, type);
        }
        List<ListingOrigins.Resolved> resolved = origins.resolveAll(items.stream()
                .map(it -> it.unreadable() == null ? it.command() : null).toList(), actor);
        List<Item> settled = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            ListingOrigins.Resolved r = resolved.get(i);
            settled.add(it.unreadable() != null || r.command() == null ? it
                    : new Item(r.command(), it.idempotencyKey(), r.problem()));
        }
        items = settled;
        Result[] results = new Result[items.size()];
        List<Integer> good = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                Item it = items.get(i);
                if (it.unreadable() != null) {
                    throw it.unreadable();
                }
                ListingTaskService.validate(it.command(), it.idempotencyKey());
                categories.require(it.command().categoryId(), "categoryId");
                good.add(i);
            } catch (ApiProblem p) {
                results[i] = new Result(i, null, null, false, p);
            }
        }
        if (!good.isEmpty()) {
            List<Item> toInsert = items;
            Actor device = ActorPropagation.current();
            QuarkusTransaction.requiringNew().run(() -> insert(toInsert, good, batchId, type, results, device));
        }
        return List.of(results);
    }

    private void insert(List<Item> items, List<Integer> good, Long batchId, String type, Result[] results, Actor device) {
        long now = System.currentTimeMillis();
        Timestamp ts = new Timestamp(now);
        Map<Integer, Long> assigned = new HashMap<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO listing_task (task_id, task_code, task_type, category_id, batch_id, title, status, source_type,
                        source_user_id, source_user_type, merchant_id, shop_id, item_data, idempotency_key, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
                    ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING""")) {
                for (int i : good) {
                    CreateListingCommand cmd = items.get(i).command();
                    long id = ids.nextId();
                    assigned.put(i, id);
                    ps.setLong(1, id);
                    ps.setString(2, "LT" + id);
                    ps.setString(3, cmd.taskType() == null ? type : cmd.taskType());
                    ps.setLong(4, cmd.categoryId());
                    setLong(ps, 5, batchId);
                    ps.setString(6, cmd.title().trim());
                    ps.setString(7, cmd.sourceType());
                    setLong(ps, 8, cmd.creatorId());
                    ps.setString(9, cmd.sourceUserType());
                    setLong(ps, 10, cmd.merchantId());
                    setLong(ps, 11, cmd.shopId());
                    ps.setString(12, JSON.writeValueAsString(cmd.itemData() == null ? Map.of() : cmd.itemData()));
                    ps.setString(13, items.get(i).idempotencyKey());
                    ps.setLong(14, cmd.creatorId() == null ? 0 : cmd.creatorId());
                    ps.setTimestamp(15, ts);
                    ps.setTimestamp(16, ts);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            // One read answers both: which new ids went in, and which first task a retried key keeps.
            java.util.Set<Long> newIds = new java.util.HashSet<>(assigned.values());
            java.util.Set<Long> inserted = new java.util.HashSet<>();
            Map<String, Result> earlierByKey = new HashMap<>();
            List<String> keys = good.stream().map(i -> items.get(i).idempotencyKey()).filter(k -> k != null).toList();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT task_id, task_code, idempotency_key FROM listing_task WHERE task_id = ANY(?) OR idempotency_key = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", newIds.toArray()));
                ps.setArray(2, c.createArrayOf("varchar", keys.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        if (newIds.contains(id)) {
                            inserted.add(id);
                        } else {
                            earlierByKey.put(rs.getString(3), new Result(-1, id, rs.getString(2), true, null));
                        }
                    }
                }
            }
            List<Outbox.Message> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO listing_state_history (task_id, from_status, to_status, action, operator_id, operator_type,
                        client_ip, user_agent, changed_at)
                    VALUES (?, NULL, 0, 'create', ?, ?, ?, ?, ?)""")) {
                String ip = device == null || device.ip() == null ? null : device.ip().substring(0, Math.min(64, device.ip().length()));
                String agent = device == null || device.userAgent() == null ? null
                        : device.userAgent().substring(0, Math.min(300, device.userAgent().length()));
                for (int i : good) {
                    long id = assigned.get(i);
                    CreateListingCommand cmd = items.get(i).command();
                    if (!inserted.contains(id)) {
                        Result earlier = earlierByKey.get(items.get(i).idempotencyKey());
                        results[i] = new Result(i, earlier.taskId(), earlier.taskCode(), true, null);
                        continue;
                    }
                    results[i] = new Result(i, id, "LT" + id, false, null);
                    ps.setLong(1, id);
                    setLong(ps, 2, cmd.creatorId());
                    ps.setString(3, cmd.sourceUserType());
                    ps.setString(4, ip);
                    ps.setString(5, agent);
                    ps.setTimestamp(6, ts);
                    ps.addBatch();
                    ListingEvent e = ListingEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventType("created")
                            .setTimestamp(now).setTaskId(id).setTaskCode("LT" + id).setCategoryId(cmd.categoryId())
                            .setBatchId(batchId == null ? 0 : batchId).setSourceType(cmd.sourceType())
                            .setSourceUserType(cmd.sourceUserType()).setFromStatus(-1).setToStatus(0).setAction("create")
                            .setTitle(cmd.title().trim()).setOperatorId(cmd.creatorId() == null ? 0 : cmd.creatorId()).build();
                    events.add(new Outbox.Message(ListingTopics.LIFECYCLE, Long.toString(id), "created", e.getEventId(), e));
                }
                ps.executeBatch();
            }
            outbox.enqueueAll(events);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("batch create failed", e);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
