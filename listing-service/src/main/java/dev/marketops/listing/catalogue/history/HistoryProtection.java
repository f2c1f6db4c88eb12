package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Permission;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed 002 section 6: sensitive fields (by configuration) masked for callers without
 * {@code history:sensitive}, and every read and export of the history logged (who, which
 * filter, when), listable by admins.
 */
@ApplicationScoped
public class HistoryProtection {

    public static final String MASK = "***";

    /** One logged read or export. */
    public record Access(String id, String action, String userId, String userRole, JsonNode filter, int rowsSeen, String ipAddress,
                         Instant accessedAt) {
    }

    private final HistoryConfig config;
    private final AgroalDataSource ds;

    public HistoryProtection(HistoryConfig config, AgroalDataSource ds) {
        this.config = config;
        this.ds = ds;
    }

    public boolean sensitive(String path) {
        for (String s : config.sensitiveFields()) {
            if (path.equals(s) || path.endsWith("." + s)) {
                return true;
            }
        }
        return false;
    }

    /** The entry as this caller may see it. */
    public HistoryEntry forCaller(HistoryEntry e, Actor caller) {
        if (caller != null && caller.has(Permission.HISTORY_SENSITIVE)) {
            return e;
        }
        return e.masked(mask(e.oldValue()), mask(e.newValue()));
    }

    public boolean masks(Actor caller) {
        return caller == null || !caller.has(Permission.HISTORY_SENSITIVE);
    }

    public ObjectNode mask(ObjectNode values) {
        ObjectNode out = null;
        for (var it = values.fieldNames(); it.hasNext(); ) {
            String p = it.next();
            if (sensitive(p) && !values.get(p).isNull()) {
                if (out == null) {
                    out = values.deepCopy();
                }
                out.put(p, MASK);
            }
        }
        return out == null ? values : out;
    }

    /** Logs one read or export (its own small transaction: a log row is kept even if the read fails later). */
    public void log(String action, Actor who, Map<String, Object> filter, int rows) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO history_access_log (action, user_id, user_role, filter_json, rows_seen, ip_address) VALUES (?, ?, ?, ?::jsonb, ?, ?)")) {
            ps.setString(1, action);
            ps.setLong(2, who == null ? 0 : who.userId());
            ps.setString(3, who == null ? "system" : who.type());
            ps.setString(4, ProductState.JSON.writeValueAsString(filter));
            ps.setInt(5, rows);
            ps.setString(6, who == null ? null : who.ip());
            ps.executeUpdate();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not log a history access", e);
        }
    }

    /** The access log, newest first (keyset by id). */
    public List<Access> accesses(Long userId, Long beforeId, int size) {
        List<Access> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, action, user_id, user_role, filter_json::text, rows_seen, ip_address, accessed_at FROM history_access_log
                WHERE (CAST(? AS bigint) IS NULL OR user_id = ?) AND (CAST(? AS bigint) IS NULL OR id < ?)
                ORDER BY id DESC LIMIT ?""")) {
            ps.setObject(1, userId, java.sql.Types.BIGINT);
            ps.setObject(2, userId, java.sql.Types.BIGINT);
            ps.setObject(3, beforeId, java.sql.Types.BIGINT);
            ps.setObject(4, beforeId, java.sql.Types.BIGINT);
            ps.setInt(5, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Access(Long.toString(rs.getLong(1)), rs.getString(2), Long.toString(rs.getLong(3)), rs.getString(4),
                            ProductState.JSON.readTree(rs.getString(5)), rs.getInt(6), rs.getString(7), rs.getTimestamp(8).toInstant()));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("reading the history access log failed", e);
        }
        return out;
    }
}
