package dev.marketops.config.homepage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one owner of homepage_group, homepage_version and homepage_schedule: explicit SQL. */
@ApplicationScoped
public class HomepageStore {

    public record Group(long groupId, String code, String name, String region, String platform, String environment,
                        List<Entrance> draft, long draftVersion, int liveVersion, Long createdBy, Long updatedBy,
                        Instant updatedAt) {
    }

    public record Version(long groupId, int versionNo, String action, Integer sourceVersion, Map<String, Object> document,
                          Map<String, Object> diff, Long publishedBy, Instant publishedAt) {
    }

    public record Schedule(long scheduleId, long groupId, long draftVersion, List<Entrance> entrances, Instant publishAt,
                           String status, Integer versionNo, Long createdBy) {
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<Entrance>> ENTRANCES = new TypeReference<>() {
    };

    private final AgroalDataSource db;
    private final ObjectMapper json;

    public HomepageStore(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public void insertGroup(long id, String code, String name, String region, String platform, String environment, long by) {
        update("INSERT INTO homepage_group (group_id, group_code, group_name, region, platform, environment, created_by, updated_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, code, name, region, platform, environment, by, by);
    }

    /**
     * The published group a storefront of this region, platform and environment gets: one made for
     * its platform before one for all platforms, then the one published (or edited) last.
     */
    public Optional<Long> liveGroupFor(String region, String platform, String environment) {
        return query("SELECT group_id FROM homepage_group WHERE region = ? AND environment = ? AND platform IN (?, 'all')"
                        + " AND live_version > 0 ORDER BY (platform = ?) DESC, updated_at DESC, group_id DESC LIMIT 1",
                rs -> rs.getLong(1), region, environment, platform, platform).stream().findFirst();
    }

    public boolean codeTaken(String code) {
        return !query("SELECT 1 FROM homepage_group WHERE group_code = ?", rs -> 1, code).isEmpty();
    }

    public Optional<Group> group(long id, boolean forUpdate) {
        return query("SELECT * FROM homepage_group WHERE group_id = ?" + (forUpdate ? " FOR UPDATE" : ""), this::group, id)
                .stream().findFirst();
    }

    public List<Group> groups() {
        return query("SELECT * FROM homepage_group ORDER BY group_code", this::group);
    }

    public void saveDraft(long id, List<Entrance> entrances, long by) {
        update("UPDATE homepage_group SET draft = jsonb_build_object('entrances', ?::jsonb), draft_version = draft_version + 1, "
                + "updated_by = ?, updated_at = now() WHERE group_id = ?", write(entrances), by, id);
    }

    public void insertVersion(long groupId, int versionNo, String action, Integer sourceVersion, Map<String, Object> document,
                              Map<String, Object> diff, Long by) {
        update("INSERT INTO homepage_version (group_id, version_no, action, source_version, document, diff, published_by) "
                + "VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)", groupId, versionNo, action, sourceVersion, write(document), write(diff), by);
        update("UPDATE homepage_group SET live_version = ?, updated_at = now() WHERE group_id = ?", versionNo, groupId);
    }

    public Optional<Version> version(long groupId, int versionNo) {
        return query("SELECT * FROM homepage_version WHERE group_id = ? AND version_no = ?", this::version, groupId, versionNo)
                .stream().findFirst();
    }

    public List<Version> versions(long groupId) {
        return query("SELECT * FROM homepage_version WHERE group_id = ? ORDER BY version_no DESC", this::version, groupId);
    }

    public long insertSchedule(long groupId, long draftVersion, List<Entrance> entrances, Instant at, long by) {
        return query("INSERT INTO homepage_schedule (group_id, draft_version, document, publish_at, created_by) "
                + "VALUES (?, ?, ?::jsonb, ?, ?) RETURNING schedule_id", rs -> rs.getLong(1),
                groupId, draftVersion, write(entrances), Timestamp.from(at), by).getFirst();
    }

    public List<Schedule> schedules(long groupId) {
        return query("SELECT * FROM homepage_schedule WHERE group_id = ? ORDER BY publish_at DESC, schedule_id DESC",
                this::schedule, groupId);
    }

    public Optional<Schedule> schedule(long scheduleId, boolean forUpdate) {
        return query("SELECT * FROM homepage_schedule WHERE schedule_id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                this::schedule, scheduleId).stream().findFirst();
    }

    /** Due schedules, oldest first, locked; a second scheduler skips the rows this one holds. */
    public List<Schedule> claimDue(int limit) {
        return query("SELECT * FROM homepage_schedule WHERE status = 'pending' AND publish_at <= now() "
                + "ORDER BY publish_at, schedule_id LIMIT ? FOR UPDATE SKIP LOCKED", this::schedule, limit);
    }

    public void finishSchedule(long scheduleId, String status, Integer versionNo) {
        update("UPDATE homepage_schedule SET status = ?, version_no = ? WHERE schedule_id = ?", status, versionNo, scheduleId);
    }

    private Group group(ResultSet rs) throws SQLException {
        Map<String, Object> draft = read(rs.getString("draft"), MAP);
        List<Entrance> entrances = json.convertValue(draft.getOrDefault("entrances", List.of()), ENTRANCES);
        return new Group(rs.getLong("group_id"), rs.getString("group_code"), rs.getString("group_name"), rs.getString("region"),
                rs.getString("platform"), rs.getString("environment"), entrances, rs.getLong("draft_version"),
                rs.getInt("live_version"), (Long) rs.getObject("created_by"), (Long) rs.getObject("updated_by"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getLong("group_id"), rs.getInt("version_no"), rs.getString("action"),
                (Integer) rs.getObject("source_version"), read(rs.getString("document"), MAP), read(rs.getString("diff"), MAP),
                (Long) rs.getObject("published_by"), rs.getTimestamp("published_at").toInstant());
    }

    private Schedule schedule(ResultSet rs) throws SQLException {
        return new Schedule(rs.getLong("schedule_id"), rs.getLong("group_id"), rs.getLong("draft_version"),
                read(rs.getString("document"), ENTRANCES), rs.getTimestamp("publish_at").toInstant(), rs.getString("status"),
                (Integer) rs.getObject("version_no"), (Long) rs.getObject("created_by"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
