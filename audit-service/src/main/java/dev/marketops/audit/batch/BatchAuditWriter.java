package dev.marketops.audit.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.List;
import org.hibernate.Session;

/**
 * Writes a chunk's audit log rows and review-queue entries as JDBC batches (the driver's
 * reWriteBatchedInserts turns them into multi-row INSERTs), in the consumer's transaction.
 */
@ApplicationScoped
public class BatchAuditWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EntityManager em;

    /** Tasks of the chunk already waiting in the review queue at their current version. */
    java.util.Set<Long> alreadyQueued(List<dev.marketops.proto.listing.ListingTaskReply> tasks) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        if (tasks.isEmpty()) {
            return out;
        }
        Long[] ids = tasks.stream().map(t -> t.getTaskId()).toArray(Long[]::new);
        Long[] versions = tasks.stream().map(t -> t.getVersion()).toArray(Long[]::new);
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT r.task_id FROM manual_review r JOIN unnest(?::bigint[], ?::bigint[]) AS t(task_id, version)
                      ON r.task_id = t.task_id AND r.task_version = t.version""")) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                ps.setArray(2, c.createArrayOf("bigint", versions));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
        });
        return out;
    }

    void record(List<GroupAuditor.Decision> decisions, int durationMs) {
        if (decisions.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement log = c.prepareStatement("""
                    INSERT INTO listing_audit_log (task_id, category_id, source_type, source_user_type, audit_type, audit_action,
                        audit_reason, rules_applied, rule_results, strategy_config_id, auditor_type, duration_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, 'system', ?)""");
                 PreparedStatement review = c.prepareStatement("""
                    INSERT INTO manual_review (task_id, task_version, category_id, source_type, source_user_type, title, validation_result, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, 'pending') ON CONFLICT (task_id, task_version) DO NOTHING""")) {
                int reviews = 0;
                for (GroupAuditor.Decision d : decisions) {
                    var t = d.task();
                    log.setLong(1, t.getTaskId());
                    log.setLong(2, t.getCategoryId());
                    log.setString(3, t.getSourceType());
                    log.setString(4, t.getSourceUserType());
                    log.setString(5, d.strategy().wire());
                    log.setString(6, d.action());
                    log.setString(7, d.reason());
                    log.setString(8, json(d.findings().getOrDefault("rulesApplied", List.of())));
                    log.setString(9, json(d.findings()));
                    if (d.strategyConfigId() == null) {
                        log.setNull(10, Types.BIGINT);
                    } else {
                        log.setLong(10, d.strategyConfigId());
                    }
                    log.setInt(11, durationMs);
                    log.addBatch();
                    if ("queue".equals(d.action())) {
                        review.setLong(1, t.getTaskId());
                        review.setLong(2, t.getVersion());
                        review.setLong(3, t.getCategoryId());
                        review.setString(4, t.getSourceType());
                        review.setString(5, t.getSourceUserType());
                        review.setString(6, t.getTitle());
                        review.setString(7, json(d.findings()));
                        review.addBatch();
                        reviews++;
                    }
                }
                log.executeBatch();
                if (reviews > 0) {
                    review.executeBatch();
                }
            }
        });
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
