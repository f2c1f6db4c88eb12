package dev.marketops.listing.task;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.events.ListingBatchEvent;
import dev.marketops.proto.events.ListingEvent;
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
 * One action of the state machine on many tasks (TransitionMany), set-based: one UPDATE moves
 * every task whose state allows the action (the transition table joined in as from/to pairs),
 * one multi-row insert writes the history, one the events. Each task succeeds or fails on its
 * own. Approving with a batch id announces the approved tasks on listing.batch.audited in
 * chunks instead of one listing.publish.ready each; the lifecycle feed stays per task.
 */
@ApplicationScoped
public class BatchTransitionService {

    public static final int MAX_TASKS = 2000;
    public static final int ANNOUNCE_CHUNK = 1000;

    /** retryable: refused for a transient reason (a peer did not answer), so the same call may succeed later. */
    public record Result(long taskId, boolean ok, int status, String errorCode, String errorMessage, boolean retryable) {
        Result(long taskId, boolean ok, int status, String errorCode, String errorMessage) {
            this(taskId, ok, status, errorCode, errorMessage, false);
        }
    }

    private record Moved(long taskId, int from, int to, long version, String taskCode, long categoryId, long batchId,
                         long itemId, String sourceType, String sourceUserType, String title, long ownerId,
                         double waitedSeconds) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    Outbox outbox;
    @Inject
    ListingTaskService tasks;
    @Inject
    TaskReads reads;
    @Inject
    dev.marketops.listing.metrics.ListingMetrics metrics;

    public List<Result> transition(List<Long> taskIds, ListingAction action, List<Long> itemIds, TransitionContext ctx, Long batchId) {
        return transition(taskIds, action, itemIds, List.of(), ctx, batchId);
    }

    /**
     * @param expectedVersions empty, or the version each task must still have (same order as
     *                         taskIds): a task at another version stays where it is (STALE_VERSION)
     */
    public List<Result> transition(List<Long> taskIds, ListingAction action, List<Long> itemIds, List<Long> expectedVersions,
                                   TransitionContext ctx, Long batchId) {
        if (taskIds.isEmpty()) {
            throw ApiProblem.missingField("task_ids");
        }
        if (taskIds.size() > MAX_TASKS) {
            throw ApiProblem.invalidField("task_ids", "at most " + MAX_TASKS + " per call", taskIds.size());
        }
        if (!itemIds.isEmpty() && itemIds.size() != taskIds.size()) {
            throw ApiProblem.invalidField("item_ids", "one item id per task id, in the same order", itemIds.size());
        }
        if (!expectedVersions.isEmpty() && expectedVersions.size() != taskIds.size()) {
            throw ApiProblem.invalidField("expected_versions", "one version per task id, in the same order", expectedVersions.size());
        }
        Map<Long, Long> itemOf = new LinkedHashMap<>();
        Map<Long, Long> versionOf = new HashMap<>();
        for (int i = 0; i < taskIds.size(); i++) {
            itemOf.put(taskIds.get(i), itemIds.isEmpty() || itemIds.get(i) == 0 ? null : itemIds.get(i));
            if (!expectedVersions.isEmpty()) {
                versionOf.put(taskIds.get(i), expectedVersions.get(i));
            }
        }
        Map<Long, Result> refused = new HashMap<>();
        if (action == ListingAction.SUBMIT) {
            checkSubmittable(itemOf, refused);
        }
        List<Long> todo = itemOf.keySet().stream().filter(id -> !refused.containsKey(id)).toList();
        Map<Long, Result> done = todo.isEmpty() ? Map.of()
                : QuarkusTransaction.requiringNew().call(() -> apply(todo, itemOf, versionOf, action, ctx, batchId));
        List<Result> out = new ArrayList<>(taskIds.size());
        for (long id : taskIds) {
            out.add(refused.containsKey(id) ? refused.get(id) : done.get(id));
        }
        return out;
    }

    /** Submission needs the required attributes present and well-formed, as for a single task. */
    private void checkSubmittable(Map<Long, Long> itemOf, Map<Long, Result> refused) {
        for (TaskReads.Row t : reads.byIds(itemOf.keySet(), null).values()) {
            ApiProblem p;
            try {
                p = tasks.submitProblem(t.taskId(), t.categoryId(), t.itemData());
            } catch (ApiProblem unavailable) { // config-service did not answer: this task fails, the others go on
                p = unavailable;
            }
            if (p != null) {
                refused.put(t.taskId(), new Result(t.taskId(), false, t.status(), p.code(), p.getMessage(), p.isTransient()));
            }
        }
    }

    private Map<Long, Result> apply(List<Long> todo, Map<Long, Long> itemOf, Map<Long, Long> versionOf, ListingAction action,
                                    TransitionContext ctx, Long batchId) throws SQLException {
        List<Integer> from = new ArrayList<>();
        List<Integer> to = new ArrayList<>();
        for (ListingStatus s : ListingStatus.values()) {
            ListingStateMachine.next(s, action).ifPresent(n -> {
                from.add(s.code);
                to.add(n.code);
            });
        }
        Map<Long, Result> results = new HashMap<>();
        List<Moved> moved = new ArrayList<>();
        boolean publish = action == ListingAction.PUBLISH;
        boolean audit = ctx.auditType() != null;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE listing_task t SET status = m.to_status, version = t.version + 1, updated_at = now(),
                        item_id = COALESCE(u.item_id, t.item_id),
                        sub_status = CASE WHEN ? THEN NULL ELSE t.sub_status END,
                        error_message = CASE WHEN ? THEN NULL ELSE t.error_message END,
                        audit_type = CASE WHEN ? THEN ? ELSE t.audit_type END,
                        audit_time = CASE WHEN ? THEN now() ELSE t.audit_time END,
                        auditor_id = CASE WHEN ? THEN ? ELSE t.auditor_id END,
                        audit_comment = CASE WHEN ? THEN ? ELSE t.audit_comment END
                    FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS u(task_id, item_id, version),
                         unnest(?::smallint[], ?::smallint[]) AS m(from_status, to_status),
                         listing_task prev
                    WHERE t.task_id = u.task_id AND t.status = m.from_status AND prev.task_id = t.task_id AND t.deleted_at IS NULL
                      AND (u.version IS NULL OR t.version = u.version)
                    RETURNING t.task_id, m.from_status, t.status, t.version, t.task_code, t.category_id, t.batch_id, t.item_id,
                        t.source_type, t.source_user_type, t.title, t.created_by,
                        extract(epoch FROM t.updated_at - prev.updated_at)""")) {
                int i = 1;
                ps.setBoolean(i++, publish);
                ps.setBoolean(i++, publish);
                ps.setBoolean(i++, audit);
                ps.setString(i++, ctx.auditType());
                ps.setBoolean(i++, audit);
                ps.setBoolean(i++, audit);
                ps.setObject(i++, ctx.operatorId(), java.sql.Types.BIGINT);
                ps.setBoolean(i++, audit);
                ps.setString(i++, ctx.reason());
                ps.setArray(i++, c.createArrayOf("bigint", todo.toArray()));
                ps.setArray(i++, c.createArrayOf("bigint", todo.stream().map(itemOf::get).toArray()));
                ps.setArray(i++, c.createArrayOf("bigint", todo.stream().map(versionOf::get).toArray()));
                ps.setArray(i++, c.createArrayOf("smallint", from.toArray()));
                ps.setArray(i, c.createArrayOf("smallint", to.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Moved m = new Moved(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getString(5), rs.getLong(6),
                                rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getLong(12), rs.getDouble(13));
                        moved.add(m);
                        results.put(m.taskId(), new Result(m.taskId(), true, m.to(), "", ""));
                    }
                }
            }
            explainTheRest(c, todo, itemOf, versionOf, action, results);
            if (!moved.isEmpty()) {
                history(c, moved, action, ctx);
            }
        }
        events(moved, action, ctx, batchId);
        for (Moved m : moved) {
            metrics.moved(m.categoryId(), m.batchId(), m.sourceType(), m.from(), m.to(),
                    java.time.Duration.ofNanos((long) (m.waitedSeconds() * 1e9)));
        }
        return results;
    }

    /**
     * Why each task that did not move stayed: unknown, at another version than the caller
     * expected, or not allowed from its state (a repeated publish is ok).
     */
    private static void explainTheRest(Connection c, List<Long> todo, Map<Long, Long> itemOf, Map<Long, Long> versionOf,
                                       ListingAction action, Map<Long, Result> results) throws SQLException {
        List<Long> rest = todo.stream().filter(id -> !results.containsKey(id)).toList();
        if (rest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT task_id, status, item_id, version FROM listing_task WHERE task_id = ANY(?) AND deleted_at IS NULL")) {
            ps.setArray(1, c.createArrayOf("bigint", rest.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    int status = rs.getInt(2);
                    long item = rs.getLong(3);
                    Long wanted = itemOf.get(id);
                    Long expected = versionOf.get(id);
                    if (action == ListingAction.PUBLISH && status == ListingStatus.ONLINE.code && wanted != null && wanted == item) {
                        results.put(id, new Result(id, true, status, "", ""));
                    } else if (expected != null && expected != rs.getLong(4)) {
                        results.put(id, new Result(id, false, status, "STALE_VERSION",
                                "task is at version " + rs.getLong(4) + ", not " + expected));
                    } else {
                        results.put(id, new Result(id, false, status, "ILLEGAL_TRANSITION",
                                "cannot " + action.wire + " a task in state " + ListingStatus.ofCode(status)));
                    }
                }
            }
        }
        for (long id : rest) {
            results.putIfAbsent(id, new Result(id, false, -1, "NOT_FOUND", "no listing task with id " + id));
        }
    }

    private static void history(Connection c, List<Moved> moved, ListingAction action, TransitionContext ctx) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO listing_state_history (task_id, item_id, from_status, to_status, action, reason, operator_id, operator_type,
                    client_ip, user_agent, changed_at)
                SELECT u.task_id, NULLIF(u.item_id, 0), u.from_status, u.to_status, ?, ?, ?, ?, left(?, 64), left(?, 300), now()
                FROM unnest(?::bigint[], ?::bigint[], ?::smallint[], ?::smallint[]) AS u(task_id, item_id, from_status, to_status)""")) {
            ps.setString(1, action.wire);
            ps.setString(2, ctx.reason() == null ? null : ctx.reason().substring(0, Math.min(500, ctx.reason().length())));
            ps.setObject(3, ctx.operatorId(), java.sql.Types.BIGINT);
            ps.setString(4, ctx.operatorType());
            dev.marketops.platform.security.Actor device = dev.marketops.platform.security.ActorPropagation.current();
            ps.setString(5, device == null ? null : device.ip());
            ps.setString(6, device == null ? null : device.userAgent());
            ps.setArray(7, c.createArrayOf("bigint", moved.stream().map(Moved::taskId).toArray()));
            ps.setArray(8, c.createArrayOf("bigint", moved.stream().map(Moved::itemId).toArray()));
            ps.setArray(9, c.createArrayOf("smallint", moved.stream().map(Moved::from).toArray()));
            ps.setArray(10, c.createArrayOf("smallint", moved.stream().map(Moved::to).toArray()));
            ps.executeUpdate();
        }
    }

    private void events(List<Moved> moved, ListingAction action, TransitionContext ctx, Long batchId) {
        if (moved.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        long operator = ctx.operatorId() == null ? 0 : ctx.operatorId();
        boolean announceBatch = action == ListingAction.APPROVE && batchId != null;
        // An upload's submitted chunk is announced by batch-operation-service itself
        // (listing.batch.parsed, for BatchAuditWorker); one listing.audit.pending per task would
        // only be skipped by AuditWorker. Its approved chunk is announced here (listing.batch.audited).
        boolean chunked = batchId != null && (action == ListingAction.APPROVE || action == ListingAction.SUBMIT);
        String flow = ListingTopics.flowTopic(action).orElse(null);
        List<Outbox.Message> messages = new ArrayList<>();
        for (Moved m : moved) {
            ListingEvent e = ListingEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setEventType(ListingTopics.eventType(action)).setTimestamp(now)
                    .setTaskId(m.taskId()).setTaskCode(m.taskCode()).setCategoryId(m.categoryId()).setBatchId(m.batchId())
                    .setItemId(m.itemId()).setSourceType(m.sourceType()).setSourceUserType(m.sourceUserType())
                    .setFromStatus(m.from()).setToStatus(m.to()).setAction(action.wire).setVersion(m.version())
                    .setTitle(m.title()).setOperatorId(operator).setOwnerId(m.ownerId()).build();
            String key = Long.toString(m.taskId());
            messages.add(new Outbox.Message(ListingTopics.LIFECYCLE, key, e.getEventType(), e.getEventId(), e));
            if (flow != null && !chunked) {
                ListingEvent f = e.toBuilder().setEventId(UUID.randomUUID().toString()).build();
                messages.add(new Outbox.Message(flow, key, f.getEventType(), f.getEventId(), f));
            }
        }
        if (announceBatch) {
            int chunks = (moved.size() + ANNOUNCE_CHUNK - 1) / ANNOUNCE_CHUNK;
            for (int n = 0; n < chunks; n++) {
                List<Moved> part = moved.subList(n * ANNOUNCE_CHUNK, Math.min(moved.size(), (n + 1) * ANNOUNCE_CHUNK));
                ListingBatchEvent b = ListingBatchEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setEventType("audited").setTimestamp(now).setBatchId(batchId)
                        .addAllTaskIds(part.stream().map(Moved::taskId).toList()).setChunkNo(n + 1).setChunkCount(chunks).build();
                messages.add(new Outbox.Message(ListingTopics.BATCH_AUDITED, Long.toString(batchId), "audited", b.getEventId(), b));
            }
        }
        outbox.enqueueAll(messages);
    }
}
