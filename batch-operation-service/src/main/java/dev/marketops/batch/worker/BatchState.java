package dev.marketops.batch.worker;

import dev.marketops.batch.Json;
import dev.marketops.platform.security.Actor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

/** What the runner needs of a batch row, read with plain SQL (no entity state to go stale). */
public record BatchState(long batchId, String batchCode, String operationType, String status, OffsetDateTime createdAt,
                         BatchParams params, long createdBy, boolean dryRun, boolean cancelRequested, int totalCount,
                         int successCount, int failedCount, int skippedCount, Actor actor) {

    public static Optional<BatchState> load(Connection c, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT batch_code, operation_type, status, created_at, operation_params::text, created_by, dry_run,
                       cancel_requested, total_count, success_count, failed_count, skipped_count,
                       created_by_type, created_by_merchant, created_ip, created_user_agent
                FROM operation_batch_task WHERE batch_id = ?""")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new BatchState(batchId, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), new BatchParams(Json.map(rs.getString(5))), rs.getLong(6),
                        rs.getBoolean(7), rs.getBoolean(8), rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getInt(12),
                        BatchActor.of(rs.getLong(6), rs.getString(13), (Long) rs.getObject(14), rs.getString(15),
                                rs.getString(16))));
            }
        }
    }
}
