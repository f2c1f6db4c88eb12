package dev.marketops.maintenance.deadletter;

import dev.marketops.platform.rest.Page;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dlq_record table, in plain SQL: the insert must be ON CONFLICT DO NOTHING. */
@ApplicationScoped
public class DeadLetterStore {

    public static final List<String> STATUSES = List.of("new", "replayed", "discarded");

    @Inject
    AgroalDataSource ds;

    /** @return false when the record was stored before (a redelivery). */
    public boolean insert(DeadLetter d) {
        String sql = """
                INSERT INTO dlq_record (topic, partition, record_offset, msg_key, event_id, event_type, reason, cause,
                    original_topic, original_partition, original_offset, payload, record_timestamp)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (topic, partition, record_offset, record_timestamp) DO NOTHING""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, d.topic());
            ps.setInt(2, d.partition());
            ps.setLong(3, d.offset());
            ps.setString(4, d.key());
            ps.setString(5, d.eventId());
            ps.setString(6, d.eventType());
            ps.setString(7, d.reason());
            ps.setString(8, d.cause());
            ps.setString(9, d.originalTopic());
            ps.setObject(10, d.originalPartition(), Types.INTEGER);
            ps.setObject(11, d.originalOffset(), Types.BIGINT);
            ps.setBytes(12, d.payload());
            ps.setObject(13, d.receivedAt());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not store dead letter " + d.topic() + "-" + d.partition() + "@" + d.offset(), e);
        }
    }

    /** Newest first; {@code topic} and {@code status} are optional filters. */
    public Page<DeadLetter> page(String topic, String status, int page, int size) {
        String where = " WHERE (?::text IS NULL OR topic = ?) AND (?::text IS NULL OR status = ?)";
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dlq_record" + where)) {
                bindFilter(ps, topic, status);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<DeadLetter> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dlq_record" + where
                    + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                bindFilter(ps, topic, status);
                ps.setInt(5, size);
                ps.setLong(6, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(read(rs));
                    }
                }
            }
            return new Page<>(items, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read dead letters", e);
        }
    }

    /** Dead letters still waiting for someone, per .dlq topic (topic order). */
    public Map<String, Long> countNewByTopic() {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT topic, count(*) FROM dlq_record WHERE status = 'new' GROUP BY topic ORDER BY topic");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not count dead letters", e);
        }
    }

    private static void bindFilter(PreparedStatement ps, String topic, String status) throws SQLException {
        ps.setString(1, topic);
        ps.setString(2, topic);
        ps.setString(3, status);
        ps.setString(4, status);
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong("id"), rs.getString("topic"), rs.getInt("partition"),
                rs.getLong("record_offset"), rs.getString("msg_key"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("reason"), rs.getString("cause"),
                rs.getString("original_topic"), rs.getObject("original_partition", Integer.class),
                rs.getObject("original_offset", Long.class), rs.getBytes("payload"),
                rs.getObject("received_at", OffsetDateTime.class), rs.getString("status"));
    }
}
