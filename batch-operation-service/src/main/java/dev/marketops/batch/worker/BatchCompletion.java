package dev.marketops.batch.worker;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.events.OperationBatchCompletedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * operation.batch.completed: enqueued in the transaction that moves a batch to a terminal state
 * (so it is announced exactly when that state commits), carrying who started the batch: the
 * notification worker tells that user.
 */
public final class BatchCompletion {

    public static final String TOPIC = "operation.batch.completed";

    private BatchCompletion() {
    }

    /** Call after the UPDATE that made the batch terminal, on the same transaction. */
    public static void announce(Outbox outbox, Connection c, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT batch_code, operation_type, status, total_count, success_count, failed_count, skipped_count,
                       error_summary, created_by, created_by_type FROM operation_batch_task WHERE batch_id = ?""")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                String eventId = UUID.randomUUID().toString();
                OperationBatchCompletedEvent e = OperationBatchCompletedEvent.newBuilder().setEventId(eventId)
                        .setTimestamp(System.currentTimeMillis()).setBatchId(batchId).setBatchCode(rs.getString(1))
                        .setOperationType(rs.getString(2)).setStatus(rs.getString(3)).setTotalCount(rs.getInt(4))
                        .setSuccessCount(rs.getInt(5)).setFailedCount(rs.getInt(6)).setSkippedCount(rs.getInt(7))
                        .setErrorSummary(java.util.Objects.requireNonNullElse(rs.getString(8), ""))
                        .setCreatedBy(rs.getLong(9)).setCreatedByType(java.util.Objects.requireNonNullElse(rs.getString(10), ""))
                        .build();
                outbox.enqueue(TOPIC, Long.toString(batchId), e.getStatus(), eventId, e);
            }
        }
    }
}
