package dev.marketops.search.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.search.export.ProductColumn;
import dev.marketops.search.query.SearchFilter;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Saved views of the product list, the saved_view table's one owner. The rules: a view belongs
 * to the user who saved it; a shared view is seen by the owner's audience (staff views by
 * staff, a merchant's by the users of its shop: merchants never see staff views or another
 * shop's); only the owner changes or deletes it (a view the caller cannot see is 404, a shared
 * one they see but do not own 403); names are unique per owner ignoring case; every change
 * names the version it read (optimistic locking).
 */
@ApplicationScoped
public class SavedViews {

    public static final int MAX_NAME = 100;
    private static final String COLUMNS = "view_id, name, owner_id, filter::text, columns::text, sort, shared, version, created_at, updated_at";

    /** A view as the API answers it; {@code mine}: the caller owns it (and may change it). */
    public record SavedView(long viewId, String name, long ownerId, JsonNode filter, List<String> columns, String sort,
                            boolean shared, long version, Instant createdAt, Instant updatedAt, boolean mine) {
    }

    /** A create or replace: every field of the view ({@code version} only for a replace). */
    public record ViewInput(String name, JsonNode filter, List<String> columns, String sort, Boolean shared, Long version) {
    }

    private record Checked(String name, SearchFilter filter, List<String> columns, boolean shared) {
    }

    private final AgroalDataSource ds;
    private final SnowflakeIds ids;
    private final ObjectMapper json;

    public SavedViews(AgroalDataSource ds, SnowflakeIds ids, ObjectMapper json) {
        this.ds = ds;
        this.ids = ids;
        this.json = json;
    }

    /** The caller's own views and the shared views of its audience, by name. */
    public List<SavedView> visible(Actor who) {
        return sql("SELECT " + COLUMNS + " FROM saved_view WHERE owner_id = ? OR (shared AND owner_shop IS NOT DISTINCT FROM ?) "
                + "ORDER BY lower(name), view_id", ps -> {
                    ps.setLong(1, who.userId());
                    ps.setObject(2, shop(who), Types.BIGINT);
                    List<SavedView> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(view(rs, who));
                        }
                    }
                    return out;
                });
    }

    public SavedView get(long viewId, Actor who) {
        return find(viewId, who).orElseThrow(() -> notFound(viewId));
    }

    public SavedView create(ViewInput in, Actor who) {
        Checked c = check(in, who);
        long id = ids.nextId();
        sqlUnique(c.name(), "INSERT INTO saved_view (view_id, owner_id, owner_shop, name, filter, columns, sort, shared) "
                + "VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)", ps -> {
                    ps.setLong(1, id);
                    ps.setLong(2, who.userId());
                    ps.setObject(3, shop(who), Types.BIGINT);
                    ps.setString(4, c.name());
                    ps.setString(5, c.filter().filter().toString());
                    ps.setString(6, write(c.columns()));
                    ps.setString(7, c.filter().sort());
                    ps.setBoolean(8, c.shared());
                    return ps.executeUpdate();
                });
        return get(id, who);
    }

    /** Replaces every field of the owner's view, if {@code in.version} is still the stored one. */
    public SavedView replace(long viewId, ViewInput in, Actor who) {
        if (in == null || in.version() == null) {
            throw ApiProblem.missingField("version");
        }
        Checked c = check(in, who);
        int n = sqlUnique(c.name(), "UPDATE saved_view SET name = ?, filter = ?::jsonb, columns = ?::jsonb, sort = ?, shared = ?, "
                + "version = version + 1, updated_at = now() WHERE view_id = ? AND owner_id = ? AND version = ?", ps -> {
                    ps.setString(1, c.name());
                    ps.setString(2, c.filter().filter().toString());
                    ps.setString(3, write(c.columns()));
                    ps.setString(4, c.filter().sort());
                    ps.setBoolean(5, c.shared());
                    ps.setLong(6, viewId);
                    ps.setLong(7, who.userId());
                    ps.setLong(8, in.version());
                    return ps.executeUpdate();
                });
        if (n == 0) {
            SavedView current = ownedOrRefused(viewId, who);
            throw ApiProblem.conflict("STALE_VERSION", "view " + viewId + " is at version " + current.version() + ", not " + in.version()
                    + ": reload it and apply your change again").with("viewId", viewId).with("currentVersion", current.version())
                    .with("version", in.version());
        }
        return get(viewId, who);
    }

    public void delete(long viewId, Actor who) {
        int n = sql("DELETE FROM saved_view WHERE view_id = ? AND owner_id = ?", ps -> {
            ps.setLong(1, viewId);
            ps.setLong(2, who.userId());
            return ps.executeUpdate();
        });
        if (n == 0) {
            ownedOrRefused(viewId, who);
        }
    }

    /** Why a change touched no row: the view is not the caller's to see (404) or to change (403), else it is theirs. */
    private SavedView ownedOrRefused(long viewId, Actor who) {
        SavedView v = get(viewId, who);
        if (!v.mine()) {
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "view " + viewId + " is shared with you; only its owner may change or delete it")
                    .with("viewId", viewId).with("ownerId", v.ownerId());
        }
        return v;
    }

    private Optional<SavedView> find(long viewId, Actor who) {
        return sql("SELECT " + COLUMNS + " FROM saved_view WHERE view_id = ? AND (owner_id = ? OR (shared AND owner_shop IS NOT DISTINCT FROM ?))",
                ps -> {
                    ps.setLong(1, viewId);
                    ps.setLong(2, who.userId());
                    ps.setObject(3, shop(who), Types.BIGINT);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(view(rs, who)) : Optional.<SavedView>empty();
                    }
                });
    }

    public static ApiProblem notFound(long viewId) {
        return ApiProblem.notFound("VIEW_NOT_FOUND", "no saved view " + viewId + " that you can see").with("viewId", viewId);
    }

    private static Checked check(ViewInput in, Actor who) {
        if (in == null || in.name() == null || in.name().isBlank()) {
            throw ApiProblem.missingField("name");
        }
        String name = in.name().trim();
        if (name.length() > MAX_NAME) {
            throw ApiProblem.invalidField("name", "at most " + MAX_NAME + " characters", name.length());
        }
        List<String> columns = ProductColumn.parse(in.columns(), "columns", false).stream().map(ProductColumn::apiName).toList();
        SearchFilter filter = SearchFilter.read(in.filter(), in.sort(), shop(who));
        return new Checked(name, filter, columns, Boolean.TRUE.equals(in.shared()));
    }

    /** The audience a view is shared with: the merchant's shop, or null for staff. */
    private static Long shop(Actor who) {
        return who.isMerchant() ? who.merchantId() : null;
    }

    private SavedView view(ResultSet rs, Actor who) throws SQLException {
        try {
            long owner = rs.getLong(3);
            List<String> columns = List.of(json.readValue(rs.getString(5), String[].class));
            return new SavedView(rs.getLong(1), rs.getString(2), owner, json.readTree(rs.getString(4)), columns, rs.getString(6),
                    rs.getBoolean(7), rs.getLong(8), rs.getTimestamp(9).toInstant(), rs.getTimestamp(10).toInstant(), owner == who.userId());
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable saved view", e);
        }
    }

    private String write(Object v) {
        try {
            return json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Statement<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private <T> T sql(String sql, Statement<T> body) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return body.run(ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #sql}, answering a clash of the (owner, name) index as 409 DUPLICATE_VIEW_NAME. */
    private int sqlUnique(String name, String sql, Statement<Integer> body) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return body.run(ps);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw ApiProblem.conflict("DUPLICATE_VIEW_NAME", "you already have a view named " + name).with("field", "name").with("value", name);
            }
            throw new IllegalStateException(e);
        }
    }
}
