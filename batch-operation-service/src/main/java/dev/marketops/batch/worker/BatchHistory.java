package dev.marketops.batch.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** operation_batch_history: what happened to a batch besides its rows (outages, retries, resumes). */
public final class BatchHistory {

    public record Entry(long id, String action, Long actorId, String actorType, Integer rowCount, String detail,
                        OffsetDateTime at) {
    }

    private BatchHistory() {
    }

    public static void add(Connection c, long batchId, String action, Long actorId, String actorType, Integer rows,
                           String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO operation_batch_history (batch_id, action, actor_id, actor_type, row_count, detail)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, batchId);
            ps.setString(2, action);
            if (actorId == null) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, actorId);
            }
            ps.setString(4, actorType);
            if (rows == null) {
                ps.setNull(5, Types.INTEGER);
            } else {
                ps.setInt(5, rows);
            }
            ps.setString(6, detail);
            ps.executeUpdate();
        }
    }

    public static List<Entry> of(Connection c, long batchId) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, action, actor_id, actor_type, row_count, detail, created_at FROM operation_batch_history
                WHERE batch_id = ? ORDER BY id""")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3), rs.getString(4),
                            (Integer) rs.getObject(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class)));
                }
            }
        }
        return out;
    }
}
