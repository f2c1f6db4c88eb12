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
                    original_topic, original_partition, original_offset, payload, record_timestamp, headers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
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
            ps.setString(14, headersJson(d.originalHeaders()));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not store dead letter " + d.topic() + "-" + d.partition() + "@" + d.offset(), e);
        }
    }

    /** What operators filter dead letters by; every part is optional. */
    public record Filter(String topic, String status, String originalTopic, String reason, String eventType) {
        public Filter(String topic, String status) {
            this(topic, status, null, null, null);
        }
    }

    public Page<DeadLetter> page(String topic, String status, int page, int size) {
        return page(new Filter(topic, status), page, size);
    }

    private static final String WHERE = " WHERE (?::text IS NULL OR topic = ?) AND (?::text IS NULL OR status = ?)"
            + " AND (?::text IS NULL OR original_topic = ?) AND (?::text IS NULL OR reason ILIKE '%' || ? || '%')"
            + " AND (?::text IS NULL OR event_type = ?)";

    /** Newest first, filtered ({@link Filter}). */
    public Page<DeadLetter> page(Filter f, int page, int size) {
        String where = WHERE;
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dlq_record" + where)) {
                bindFilter(ps, f);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<DeadLetter> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dlq_record" + where
                    + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                bindFilter(ps, f);
                ps.setInt(11, size);
                ps.setLong(12, (long) page * size);
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

    private static void bindFilter(PreparedStatement ps, Filter f) throws SQLException {
        String[] v = {f.topic(), f.status(), f.originalTopic(), f.reason(), f.eventType()};
        for (int i = 0; i < v.length; i++) {
            ps.setString(2 * i + 1, v[i]);
            ps.setString(2 * i + 2, v[i]);
        }
    }

    public java.util.Optional<DeadLetter> find(long id) {
        List<DeadLetter> found = findAll(List.of(id));
        return found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(found.get(0));
    }

    /** The dead letters of these ids, in id order (missing ones left out). */
    public List<DeadLetter> findAll(List<Long> ids) {
        List<DeadLetter> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM dlq_record WHERE id = ANY (?) ORDER BY id")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read dead letters", e);
        }
    }

    /** The ids of up to {@code limit} dead letters matching the filter, oldest first (a selection to replay). */
    public List<Long> ids(Filter f, int limit) {
        List<Long> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM dlq_record" + WHERE + " ORDER BY id LIMIT ?")) {
            bindFilter(ps, f);
            ps.setInt(11, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read dead letters", e);
        }
    }

    /** Marks these as replayed (once more) by {@code who}; discarded ones stay discarded. */
    public void markReplayed(List<Long> ids, long who) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE dlq_record SET status = 'replayed', replay_count = replay_count + 1, last_replayed_at = now(),
                       last_replayed_by = ? WHERE id = ANY (?) AND status <> 'discarded'""")) {
            ps.setLong(1, who);
            ps.setArray(2, c.createArrayOf("int8", ids.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark dead letters replayed", e);
        }
    }

    /** @return false when there is no such dead letter. Discarding twice keeps the first reason. */
    public boolean discard(long id, String reason, long who) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE dlq_record SET status = 'discarded', discard_reason = coalesce(discard_reason, ?),
                       discarded_by = coalesce(discarded_by, ?), discarded_at = coalesce(discarded_at, now())
                WHERE id = ?""")) {
            ps.setString(1, reason);
            ps.setLong(2, who);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not discard dead letter " + id, e);
        }
    }

    /** How many dead letters per original topic, error (reason) and status. */
    public record Count(String topic, String originalTopic, String reason, String status, long count) {
    }

    public List<Count> counts() {
        List<Count> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT topic, original_topic, reason, status, count(*) FROM dlq_record
                GROUP BY topic, original_topic, reason, status ORDER BY topic, reason, status""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Count(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not count dead letters", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static String headersJson(List<DeadLetter.Header> headers) {
        if (headers == null) {
            return null;
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (DeadLetter.Header h : headers) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("key", h.key());
            m.put("value", h.value() == null ? null : java.util.Base64.getEncoder().encodeToString(h.value()));
            out.add(m);
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<DeadLetter.Header> headers(String json) {
        List<DeadLetter.Header> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try {
            for (var n : JSON.readTree(json)) {
                var v = n.get("value");
                out.add(new DeadLetter.Header(n.get("key").asText(),
                        v == null || v.isNull() ? null : java.util.Base64.getDecoder().decode(v.asText())));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable stored headers", e);
        }
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong("id"), rs.getString("topic"), rs.getInt("partition"),
                rs.getLong("record_offset"), rs.getString("msg_key"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("reason"), rs.getString("cause"),
                rs.getString("original_topic"), rs.getObject("original_partition", Integer.class),
                rs.getObject("original_offset", Long.class), rs.getBytes("payload"),
                rs.getObject("received_at", OffsetDateTime.class), rs.getString("status"),
                headers(rs.getString("headers")), rs.getInt("replay_count"), rs.getString("discard_reason"));
    }
}
