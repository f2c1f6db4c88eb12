package dev.marketops.listing.task;

import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.events.ListingEvent;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * WatchdogWorker (main seed 9.7.1): finds listing tasks stuck past their timeout, once per
 * cluster every minute (advisory lock). A task waiting for audit (PENDING_AUDIT) or for
 * publishing (APPROVED) longer than its timeout is announced again to the worker it waits for
 * (listing.audit.pending / listing.publish.ready with a new event id; those workers decide only
 * what is still undecided, so a retry has no second effect), with a backoff that doubles, up to
 * the task's max_retry; then it is failed with the reason in sub_status (audit_timeout /
 * publish_timeout) and error_message, counted (marketops_watchdog_tasks_total), logged and
 * escalated on listing.task.escalated (maintenance-service tells the operators).
 * The task's status and version do not change: an operator (or a late worker) can still move it.
 */
@ApplicationScoped
public class WatchdogWorker {

    private static final Logger LOG = Logger.getLogger(WatchdogWorker.class);
    private static final int PENDING_AUDIT = 10;
    private static final int APPROVED = 11;
    private static final int LIMIT = 1000;

    public record Sweep(int retried, int failed) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    Outbox outbox;
    @Inject
    ClusterSingleton singleton;
    @Inject
    MeterRegistry meters;

    /** Worker switch (deploy/helm, WORKERS.md). */
    @ConfigProperty(name = "marketops.workers.watchdog-worker.enabled", defaultValue = "true")
    boolean enabled;
    /** How long a task may wait for its audit (a manual review waits for a person: generous). */
    @ConfigProperty(name = "marketops.watchdog.audit-timeout", defaultValue = "PT24H")
    Duration auditTimeout;
    /** How long an approved task may wait for its publish saga. */
    @ConfigProperty(name = "marketops.watchdog.publish-timeout", defaultValue = "PT10M")
    Duration publishTimeout;
    /** The pause before the first retry is looked at again; doubled with each retry. */
    @ConfigProperty(name = "marketops.watchdog.retry-backoff", defaultValue = "PT5M")
    Duration backoff;

    @Scheduled(every = "${marketops.watchdog.every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!enabled) {
            return;
        }
        singleton.runIfLeader("listing-watchdog", () -> {
            Sweep s = sweep(null);
            return s.retried() + " retried, " + s.failed() + " failed";
        });
    }

    /** One pass over every stuck task ({@code only}: just these tasks, for tests and operators). */
    public Sweep sweep(Collection<Long> only) {
        int retried = 0;
        int failed = 0;
        for (int status : new int[] {PENDING_AUDIT, APPROVED}) {
            retried += retry(status, only);
            failed += fail(status, only);
        }
        return new Sweep(retried, failed);
    }

    private Duration timeout(int status) {
        return status == PENDING_AUDIT ? auditTimeout : publishTimeout;
    }

    private static String failure(int status) {
        return status == PENDING_AUDIT ? "audit_timeout" : "publish_timeout";
    }

    private static final String STUCK = """
            SELECT task_id FROM listing_task
             WHERE status = ? AND (sub_status IS NULL OR sub_status NOT IN ('audit_timeout', 'publish_timeout', 'publish_failed'))
               AND coalesce(timeout_at, updated_at + make_interval(secs => ?)) < now()
               AND (?::bigint[] IS NULL OR task_id = ANY (?))""";

    /** Stuck tasks with retries left: one more, the next look after the doubled backoff, announced again. */
    private int retry(int status, Collection<Long> only) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Outbox.Message> events = new ArrayList<>();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    UPDATE listing_task t SET retry_count = t.retry_count + 1,
                           timeout_at = now() + make_interval(secs => ? * power(2, t.retry_count))
                    WHERE t.task_id IN (""" + STUCK + """
                     AND retry_count < max_retry ORDER BY task_id LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING t.task_id, t.task_code, t.category_id, coalesce(t.batch_id, 0), coalesce(t.item_id, 0),
                              t.source_type, t.source_user_type, t.version, t.title, t.retry_count""")) {
                ps.setDouble(1, backoff.toMillis() / 1000.0);
                bindStuck(c, ps, 2, status, only);
                ps.setInt(6, LIMIT);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(announce(rs, status));
                    }
                }
            }
            outbox.enqueueAll(events);
            if (!events.isEmpty()) {
                meters.counter("marketops_watchdog_tasks_total", "state", stateName(status), "outcome", "retried")
                        .increment(events.size());
                LOG.infof("watchdog: %d tasks stuck in %s announced again", events.size(), stateName(status));
            }
            return events.size();
        });
    }

    /** Stuck tasks whose retries are used up: failed with the reason, no longer watched, and escalated (listing.task.escalated). */
    private int fail(int status, Collection<Long> only) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Outbox.Message> escalations = new ArrayList<>();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    UPDATE listing_task t SET sub_status = ?, timeout_at = NULL, updated_at = now(),
                           error_message = 'stuck in ' || ? || ' past its timeout after ' || t.retry_count || ' retries'
                    WHERE t.task_id IN (""" + STUCK + """
                     AND retry_count >= max_retry ORDER BY task_id LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING t.task_id, t.task_code, t.category_id, coalesce(t.batch_id, 0), coalesce(t.item_id, 0),
                              t.source_type, t.source_user_type, t.version, t.title, t.created_by, t.sub_status, t.error_message""")) {
                ps.setString(1, failure(status));
                ps.setString(2, stateName(status));
                bindStuck(c, ps, 3, status, only);
                ps.setInt(7, LIMIT);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        escalations.add(escalate(rs, status));
                    }
                }
            }
            outbox.enqueueAll(escalations);
            if (!escalations.isEmpty()) {
                meters.counter("marketops_watchdog_tasks_total", "state", stateName(status), "outcome", "failed")
                        .increment(escalations.size());
                LOG.warnf("watchdog: %d tasks failed as %s (retries used up), e.g. %s", escalations.size(), failure(status),
                        escalations.subList(0, Math.min(10, escalations.size())).stream().map(Outbox.Message::key).toList());
            }
            return escalations.size();
        });
    }

    /** The escalation of a task the watchdog gave up on: its state, why, and whose task it is. */
    private static Outbox.Message escalate(ResultSet rs, int status) throws SQLException {
        long taskId = rs.getLong(1);
        ListingEvent e = ListingEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setEventType("escalated").setTimestamp(System.currentTimeMillis())
                .setTaskId(taskId).setTaskCode(rs.getString(2)).setCategoryId(rs.getLong(3)).setBatchId(rs.getLong(4))
                .setItemId(rs.getLong(5)).setSourceType(rs.getString(6)).setSourceUserType(rs.getString(7))
                .setFromStatus(status).setToStatus(status).setAction("watchdog").setVersion(rs.getLong(8)).setTitle(rs.getString(9))
                .setOwnerId(rs.getLong(10)).setSubStatus(rs.getString(11)).setReason(rs.getString(12)).build();
        return new Outbox.Message(ListingTopics.ESCALATED, Long.toString(taskId), e.getEventType(), e.getEventId(), e);
    }

    private void bindStuck(Connection c, PreparedStatement ps, int from, int status, Collection<Long> only) throws SQLException {
        ps.setInt(from, status);
        ps.setDouble(from + 1, timeout(status).toMillis() / 1000.0);
        java.sql.Array ids = only == null ? null : c.createArrayOf("int8", only.toArray());
        ps.setArray(from + 2, ids);
        ps.setArray(from + 3, ids);
    }

    /**
     * The event the waiting worker reads. A task of an upload is announced on its own too (batch
     * id 0): its chunk's announcement was evidently lost, and AuditWorker skips batch tasks.
     */
    private static Outbox.Message announce(ResultSet rs, int status) throws SQLException {
        long taskId = rs.getLong(1);
        ListingAction action = status == PENDING_AUDIT ? ListingAction.SUBMIT : ListingAction.APPROVE;
        int from = status == PENDING_AUDIT ? 0 : PENDING_AUDIT;
        ListingEvent e = ListingEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setEventType(ListingTopics.eventType(action)).setTimestamp(System.currentTimeMillis())
                .setTaskId(taskId).setTaskCode(rs.getString(2)).setCategoryId(rs.getLong(3))
                .setBatchId(status == PENDING_AUDIT ? 0 : rs.getLong(4)).setItemId(rs.getLong(5))
                .setSourceType(rs.getString(6)).setSourceUserType(rs.getString(7)).setFromStatus(from).setToStatus(status)
                .setAction(action.wire).setVersion(rs.getLong(8)).setTitle(rs.getString(9)).setOperatorId(0).build();
        String topic = ListingTopics.flowTopic(action).orElseThrow();
        return new Outbox.Message(topic, Long.toString(taskId), e.getEventType(), e.getEventId(), e);
    }

    private static String stateName(int status) {
        return status == PENDING_AUDIT ? "PENDING_AUDIT" : "APPROVED";
    }
}
