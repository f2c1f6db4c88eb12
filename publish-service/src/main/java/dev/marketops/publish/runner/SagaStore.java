package dev.marketops.publish.runner;

import dev.marketops.platform.security.Actor;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The saga's persistence, set-based: each write covers a whole group of sagas in one statement
 * (data-modifying CTEs over unnest arrays), so a chunk of 1,000 sagas costs the same round trips
 * as one. Every write by a runner is guarded by its lease (lease_owner = the run's owner token,
 * see RunnerNode); a saga whose lease was taken over by another run drops out of the result and out of the run.
 */
@ApplicationScoped
public class SagaStore {

    @Inject
    AgroalDataSource ds;

    /**
     * New sagas for these tasks with their seven steps (the first one begun), leased to {@code owner}. A task
     * that already has a saga is skipped (publish_saga.task_id is unique). Joins the caller's
     * transaction when there is one (the consumer's dedupe transaction).
     */
    List<SagaRun> create(long[] sagaIds, long[] taskIds, Long batchId, String owner, Duration lease) {
        String sql = """
                WITH input AS (SELECT * FROM unnest(?::bigint[], ?::bigint[]) AS t(saga_id, task_id)),
                new AS (
                    INSERT INTO publish_saga (saga_id, task_id, batch_id, status, attempts, lease_owner, lease_until, current_step)
                    SELECT saga_id, task_id, ?, 'started', 1, ?, now() + make_interval(secs => ?), 'create_item' FROM input
                    ON CONFLICT (task_id) DO NOTHING
                    RETURNING saga_id, task_id),
                steps AS (
                    -- the first step is begun right here (one round trip less on the latency path)
                    INSERT INTO publish_saga_step (saga_id, step_no, step_name, status, attempts, started_at)
                    SELECT new.saga_id, s.no, s.name, CASE WHEN s.no = 1 THEN 'running' ELSE 'pending' END,
                        CASE WHEN s.no = 1 THEN 1 ELSE 0 END, CASE WHEN s.no = 1 THEN now() END
                    FROM new CROSS JOIN unnest(?::int[], ?::text[]) AS s(no, name))
                SELECT saga_id, task_id FROM new""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, longs(c, sagaIds));
            ps.setArray(2, longs(c, taskIds));
            if (batchId == null) {
                ps.setNull(3, java.sql.Types.BIGINT);
            } else {
                ps.setLong(3, batchId);
            }
            ps.setString(4, owner);
            ps.setDouble(5, lease.toMillis() / 1000.0);
            ps.setArray(6, c.createArrayOf("int4", java.util.Arrays.stream(SagaStep.numbers()).boxed().toArray()));
            ps.setArray(7, c.createArrayOf("text", SagaStep.names()));
            List<SagaRun> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SagaRun run = SagaRun.fresh(rs.getLong(1), rs.getLong(2));
                    run.owner = owner;
                    out.add(run);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not create sagas", e);
        }
    }

    /** Renews the lease and marks the step running (one more attempt); answers the sagas still ours. */
    Set<Long> begin(SagaStep step, List<SagaRun> runs, boolean compensation, String owner, Duration lease) {
        String stepUpdate = compensation
                ? "UPDATE publish_saga_step p SET status = CASE WHEN p.status IN ('succeeded', 'running', 'compensating') THEN 'compensating' ELSE p.status END "
                : "UPDATE publish_saga_step p SET status = 'running', attempts = p.attempts + 1, started_at = coalesce(p.started_at, now()), finished_at = NULL ";
        String sql = """
                WITH owned AS (
                    UPDATE publish_saga s SET current_step = ?, lease_until = now() + make_interval(secs => ?), updated_at = now()
                    WHERE s.saga_id = ANY(?::bigint[]) AND s.lease_owner = ?
                    RETURNING s.saga_id),
                st AS (""" + stepUpdate + """
                    FROM owned WHERE p.saga_id = owned.saga_id AND p.step_no = ?)
                SELECT saga_id FROM owned""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, step.wire);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setArray(3, longs(c, ids(runs)));
            ps.setString(4, owner);
            ps.setInt(5, step.no);
            return idSet(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("could not begin step " + step.wire, e);
        }
    }

    /** The sagas that made progress (a step recorded) within {@code budget}: they may wait an outage out longer. */
    Set<Long> progressedWithin(List<Long> sagaIds, Duration budget) {
        Set<Long> out = new HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT saga_id FROM publish_saga WHERE saga_id = ANY (?) AND updated_at > now() - make_interval(secs => ?)")) {
            ps.setArray(1, c.createArrayOf("int8", sagaIds.toArray()));
            ps.setDouble(2, budget.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read sagas", e);
        }
    }

    /**
     * Records a forward step's outcome: successes advance and, in the same statement, begin their
     * next step with a renewed lease (one round trip per step, not two; the last step completes the
     * saga and drops the lease), final failures turn to compensating, transient failures keep the error on
     * the step row for the next attempt. Answers the successes that were recorded (still ours).
     */
    Set<Long> recordForward(SagaStep step, List<SagaRun> ok, List<SagaRun> failed, List<String> failedErrors,
                            List<SagaRun> retrying, List<String> retryErrors, String owner, Duration lease) {
        boolean last = step.no == SagaStep.COUNT;
        String sql = """
                WITH ok AS (SELECT * FROM unnest(?::bigint[], ?::bigint[]) AS t(saga_id, item_id)),
                bad AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::int[]) AS t(saga_id, error, comp_next)),
                again AS (SELECT * FROM unnest(?::bigint[], ?::text[]) AS t(saga_id, error)),
                s_ok AS (
                    UPDATE publish_saga s SET completed_steps = ?, item_id = coalesce(nullif(ok.item_id, 0), s.item_id),
                        status = CASE WHEN ? THEN 'completed' ELSE s.status END,
                        lease_owner = CASE WHEN ? THEN NULL ELSE s.lease_owner END,
                        current_step = CASE WHEN ? THEN NULL ELSE ? END,
                        lease_until = CASE WHEN ? THEN NULL ELSE now() + make_interval(secs => ?) END,
                        last_error = NULL, updated_at = now()
                    FROM ok WHERE s.saga_id = ok.saga_id AND s.lease_owner = ?
                    RETURNING s.saga_id),
                s_bad AS (
                    UPDATE publish_saga s SET status = 'compensating', compensate_next = bad.comp_next,
                        last_error = bad.error, updated_at = now()
                    FROM bad WHERE s.saga_id = bad.saga_id AND s.lease_owner = ?
                    RETURNING s.saga_id, bad.error),
                p_ok AS (
                    UPDATE publish_saga_step p SET status = 'succeeded', finished_at = now(), error = NULL
                    FROM s_ok WHERE p.saga_id = s_ok.saga_id AND p.step_no = ?),
                p_next AS (
                    UPDATE publish_saga_step p SET status = 'running', attempts = p.attempts + 1,
                        started_at = coalesce(p.started_at, now()), finished_at = NULL
                    FROM s_ok WHERE p.saga_id = s_ok.saga_id AND p.step_no = ? + 1),
                p_bad AS (
                    UPDATE publish_saga_step p SET status = 'failed', finished_at = now(), error = s_bad.error
                    FROM s_bad WHERE p.saga_id = s_bad.saga_id AND p.step_no = ?),
                p_again AS (
                    UPDATE publish_saga_step p SET error = again.error
                    FROM again WHERE p.saga_id = again.saga_id AND p.step_no = ?)
                SELECT saga_id FROM s_ok""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setArray(i++, longs(c, ids(ok)));
            ps.setArray(i++, longs(c, ok.stream().mapToLong(r -> r.itemId).toArray()));
            ps.setArray(i++, longs(c, ids(failed)));
            ps.setArray(i++, c.createArrayOf("text", failedErrors.toArray()));
            ps.setArray(i++, c.createArrayOf("int4", failed.stream().map(r -> r.compensateNext).toArray()));
            ps.setArray(i++, longs(c, ids(retrying)));
            ps.setArray(i++, c.createArrayOf("text", retryErrors.toArray()));
            ps.setInt(i++, step.no);
            ps.setBoolean(i++, last);          // status
            ps.setBoolean(i++, last);          // lease_owner
            ps.setBoolean(i++, last);          // current_step
            ps.setString(i++, last ? null : SagaStep.of(step.no + 1).wire);
            ps.setBoolean(i++, last);          // lease_until
            ps.setDouble(i++, lease.toMillis() / 1000.0);
            ps.setString(i++, owner);
            ps.setString(i++, owner);
            ps.setInt(i++, step.no);
            ps.setInt(i++, step.no);
            ps.setInt(i++, step.no);
            ps.setInt(i++, step.no);
            return idSet(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("could not record step " + step.wire, e);
        }
    }

    /**
     * Records the leading steps one combined call did for each saga, in one statement: steps
     * {@code from} through the saga's {@code through} succeeded (the later ones started and finished
     * within the call, so their time is on step {@code from}), the saga moves there, and its next
     * step begins with a renewed lease; through the last step, the saga is completed and its lease
     * dropped. Answers the sagas recorded (still ours).
     */
    Set<Long> recordThrough(SagaStep from, List<SagaRun> runs, long[] itemIds, int[] through, String owner, Duration lease) {
        String sql = """
                WITH d AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::int[]) AS t(saga_id, item_id, through)),
                s_ok AS (
                    UPDATE publish_saga s SET completed_steps = d.through, item_id = coalesce(nullif(d.item_id, 0), s.item_id),
                        current_step = (?::text[])[d.through + 1],
                        lease_until = CASE WHEN d.through = ? THEN NULL ELSE now() + make_interval(secs => ?) END,
                        status = CASE WHEN d.through = ? THEN 'completed' ELSE s.status END,
                        lease_owner = CASE WHEN d.through = ? THEN NULL ELSE s.lease_owner END,
                        last_error = NULL, updated_at = now()
                    FROM d WHERE s.saga_id = d.saga_id AND s.lease_owner = ?
                    RETURNING s.saga_id, d.through),
                p_ok AS (
                    UPDATE publish_saga_step p SET status = 'succeeded', started_at = coalesce(p.started_at, now()),
                        finished_at = now(), error = NULL, attempts = CASE WHEN p.step_no > ? THEN p.attempts + 1 ELSE p.attempts END
                    FROM s_ok WHERE p.saga_id = s_ok.saga_id AND p.step_no BETWEEN ? AND s_ok.through),
                p_next AS (
                    UPDATE publish_saga_step p SET status = 'running', attempts = p.attempts + 1,
                        started_at = coalesce(p.started_at, now()), finished_at = NULL
                    FROM s_ok WHERE p.saga_id = s_ok.saga_id AND p.step_no = s_ok.through + 1)
                SELECT saga_id FROM s_ok""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, longs(c, ids(runs)));
            ps.setArray(2, longs(c, itemIds));
            ps.setArray(3, c.createArrayOf("int4", java.util.Arrays.stream(through).boxed().toArray()));
            ps.setArray(4, c.createArrayOf("text", SagaStep.names()));
            ps.setInt(5, SagaStep.COUNT);
            ps.setDouble(6, lease.toMillis() / 1000.0);
            ps.setInt(7, SagaStep.COUNT);
            ps.setInt(8, SagaStep.COUNT);
            ps.setString(9, owner);
            ps.setInt(10, from.no);
            ps.setInt(11, from.no);
            return idSet(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("could not record steps from " + from.wire, e);
        }
    }

    /**
     * Records an undo: undone steps move the saga's cursor one step down; a final failure leaves
     * the saga failed (needs a person) and drops the lease; transient failures keep the error.
     */
    Set<Long> recordCompensation(SagaStep step, List<SagaRun> ok, List<SagaRun> failed, List<String> failedErrors,
                                 List<SagaRun> retrying, List<String> retryErrors, String owner) {
        String sql = """
                WITH ok AS (SELECT * FROM unnest(?::bigint[]) AS t(saga_id)),
                bad AS (SELECT * FROM unnest(?::bigint[], ?::text[]) AS t(saga_id, error)),
                again AS (SELECT * FROM unnest(?::bigint[], ?::text[]) AS t(saga_id, error)),
                s_ok AS (
                    UPDATE publish_saga s SET compensate_next = ? - 1, completed_steps = least(s.completed_steps, ? - 1), updated_at = now()
                    FROM ok WHERE s.saga_id = ok.saga_id AND s.lease_owner = ?
                    RETURNING s.saga_id),
                s_bad AS (
                    UPDATE publish_saga s SET status = 'failed', lease_owner = NULL, lease_until = NULL,
                        last_error = 'compensation of ' || ? || ' failed: ' || bad.error, updated_at = now()
                    FROM bad WHERE s.saga_id = bad.saga_id AND s.lease_owner = ?
                    RETURNING s.saga_id, bad.error),
                p_ok AS (
                    UPDATE publish_saga_step p SET status = CASE WHEN p.status = 'compensating' THEN 'compensated' ELSE p.status END
                    FROM s_ok WHERE p.saga_id = s_ok.saga_id AND p.step_no = ?),
                p_bad AS (
                    UPDATE publish_saga_step p SET status = 'compensation_failed', error = s_bad.error
                    FROM s_bad WHERE p.saga_id = s_bad.saga_id AND p.step_no = ?),
                p_again AS (
                    UPDATE publish_saga_step p SET error = again.error
                    FROM again WHERE p.saga_id = again.saga_id AND p.step_no = ?)
                SELECT saga_id FROM s_ok""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setArray(i++, longs(c, ids(ok)));
            ps.setArray(i++, longs(c, ids(failed)));
            ps.setArray(i++, c.createArrayOf("text", failedErrors.toArray()));
            ps.setArray(i++, longs(c, ids(retrying)));
            ps.setArray(i++, c.createArrayOf("text", retryErrors.toArray()));
            ps.setInt(i++, step.no);
            ps.setInt(i++, step.no);
            ps.setString(i++, owner);
            ps.setString(i++, step.wire);
            ps.setString(i++, owner);
            ps.setInt(i++, step.no);
            ps.setInt(i++, step.no);
            ps.setInt(i++, step.no);
            return idSet(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("could not record compensation of " + step.wire, e);
        }
    }

    /** Compensation finished and the task is marked: the saga is compensated, the lease dropped. */
    Set<Long> finishCompensated(List<SagaRun> runs, String owner) {
        String sql = """
                UPDATE publish_saga SET status = 'compensated', compensate_next = 0, current_step = NULL,
                    lease_owner = NULL, lease_until = NULL, updated_at = now()
                WHERE saga_id = ANY(?::bigint[]) AND lease_owner = ? RETURNING saga_id""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, longs(c, ids(runs)));
            ps.setString(2, owner);
            return idSet(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("could not finish compensation", e);
        }
    }

    /**
     * Takes over sagas in started/compensating whose lease expired (their runner crashed or hung).
     * SKIP LOCKED lets several replicas claim concurrently without taking the same saga twice.
     */
    List<SagaRun> claimExpired(String owner, Duration lease, int limit) {
        String sql = """
                UPDATE publish_saga s SET lease_owner = ?, lease_until = now() + make_interval(secs => ?), updated_at = now()
                WHERE s.saga_id IN (
                    SELECT saga_id FROM publish_saga
                    WHERE status IN ('started', 'compensating') AND (lease_until IS NULL OR lease_until < now())
                    ORDER BY lease_until NULLS FIRST LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING s.saga_id, s.task_id, coalesce(s.item_id, 0), s.completed_steps, s.status = 'compensating',
                    coalesce(s.compensate_next, 0), s.last_error""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setInt(3, limit);
            List<SagaRun> out = runs(ps);
            out.forEach(r -> r.owner = owner);
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim sagas", e);
        }
    }

    /**
     * Starts a compensated (or failed) saga again from its first step, leased to {@code owner}.
     * Empty when the task has no saga in one of those states.
     */
    Optional<SagaRun> restart(long taskId, String owner, Duration lease, Actor by) {
        String sql = """
                WITH s AS (
                    UPDATE publish_saga SET status = 'started', completed_steps = 0, compensate_next = NULL, item_id = NULL,
                        current_step = NULL, last_error = NULL, attempts = attempts + 1,
                        lease_owner = ?, lease_until = now() + make_interval(secs => ?), updated_at = now(),
                        retried_by = ?, retried_by_type = ?, retried_at = now()
                    WHERE task_id = ? AND status IN ('compensated', 'failed')
                    RETURNING saga_id, task_id),
                st AS (
                    UPDATE publish_saga_step p SET status = 'pending', attempts = 0, started_at = NULL, finished_at = NULL, error = NULL
                    FROM s WHERE p.saga_id = s.saga_id)
                SELECT saga_id, task_id, 0, 0, false, 0, NULL FROM s""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setLong(3, by.userId());
            ps.setString(4, by.type());
            ps.setLong(5, taskId);
            Optional<SagaRun> run = runs(ps).stream().findFirst();
            run.ifPresent(r -> r.owner = owner);
            return run;
        } catch (SQLException e) {
            throw new IllegalStateException("could not restart the saga of task " + taskId, e);
        }
    }

    private static List<SagaRun> runs(PreparedStatement ps) throws SQLException {
        List<SagaRun> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SagaRun(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getBoolean(5),
                        rs.getInt(6), rs.getString(7)));
            }
        }
        return out;
    }

    private static Set<Long> idSet(PreparedStatement ps) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static long[] ids(List<SagaRun> runs) {
        return runs.stream().mapToLong(r -> r.sagaId).toArray();
    }

    private static Array longs(Connection c, long[] values) throws SQLException {
        return c.createArrayOf("int8", java.util.Arrays.stream(values).boxed().toArray());
    }
}
