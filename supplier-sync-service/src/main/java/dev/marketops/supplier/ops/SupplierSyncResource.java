package dev.marketops.supplier.ops;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Permission;
import dev.marketops.supplier.supplier.SupplierService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sync state for operators (supplier:admin, main seed 3.5.3): every supplier with where its sync
 * stands, one supplier's items and recent failures, and a manual "pull now".
 */
@Path("/suppliers")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.SUPPLIER_ADMIN)
public class SupplierSyncResource {

    private static final Set<String> ITEM_STATUSES = Set.of("new", "pending", "synced", "offline", "failed");

    public record SyncOverview(String supplierCode, String syncMode, boolean enabled, OffsetDateTime lastSuccessAt,
                               OffsetDateTime lastAttemptAt, int consecutiveFailures, String lastError, long receivedCount,
                               long appliedCount, long ignoredCount, long failedCount, Double lagSeconds, String watermark,
                               String pageCursor, OffsetDateTime nextPullAt, Map<String, Long> items) {
    }

    public record ItemState(String externalId, String categoryId, String taskId, String itemId, long lastVersion,
                            long appliedVersion, String status, OffsetDateTime lastSyncedAt, int consecutiveFailures,
                            String lastError, OffsetDateTime expiresAt) {
    }

    /** A refusal; row: where the record came (message id, Kafka topic/partition/offset, "page:cursor#row"); field: what the reason is about. */
    public record FailureView(String id, String channel, String externalId, Long version, String reasonCode, String reason,
                              String row, String field, OffsetDateTime occurredAt) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    SupplierService suppliers;

    @GET
    @Path("/sync-state")
    public List<SyncOverview> overview() throws SQLException {
        List<SyncOverview> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT s.supplier_code, s.sync_mode, "
                + "s.enabled, st.last_success_at, st.last_attempt_at, coalesce(st.consecutive_failures, 0), st.last_error, "
                + "coalesce(st.received_count, 0), coalesce(st.applied_count, 0), coalesce(st.ignored_count, 0), "
                + "coalesce(st.failed_count, 0), st.last_lag_seconds, st.watermark, st.page_cursor, st.next_pull_at, "
                + "(SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)::text FROM (SELECT status, count(*) n FROM supplier_item i "
                + "WHERE i.supplier_code = s.supplier_code GROUP BY status) x) "
                + "FROM supplier s LEFT JOIN supplier_sync_state st USING (supplier_code) ORDER BY s.supplier_code")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Long> items = new com.fasterxml.jackson.databind.ObjectMapper().readValue(rs.getString(16),
                            new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() { });
                    out.add(new SyncOverview(rs.getString(1), rs.getString(2), rs.getBoolean(3), ts(rs, 4), ts(rs, 5), rs.getInt(6),
                            rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                            (Double) rs.getObject(12), rs.getString(13), rs.getString(14), ts(rs, 15), items));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @GET
    @Path("/{code}/items")
    public Page<ItemState> items(@PathParam("code") String code, @QueryParam("status") String status,
                                 @QueryParam("externalId") String externalId,
                                 @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size)
            throws SQLException {
        suppliers.get(code);
        Page.check(page, size);
        if (status != null && !status.isBlank() && !ITEM_STATUSES.contains(status)) {
            throw ApiProblem.invalidField("status", "must be one of " + new java.util.TreeSet<>(ITEM_STATUSES), status);
        }
        String where = " WHERE supplier_code = ? AND (?::text IS NULL OR status = ?) AND (?::text IS NULL OR external_id = ?)";
        String st = status == null || status.isBlank() ? null : status;
        String ext = externalId == null || externalId.isBlank() ? null : externalId;
        List<ItemState> out = new ArrayList<>();
        long total;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT external_id, category_id, task_id, item_id, last_version, "
                    + "applied_version, status, last_synced_at, consecutive_failures, last_error, expires_at FROM supplier_item" + where
                    + " ORDER BY external_id LIMIT ? OFFSET ?")) {
                bind(ps, code, st, ext);
                ps.setInt(6, size);
                ps.setLong(7, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ItemState(rs.getString(1), String.valueOf(rs.getLong(2)), str(rs.getObject(3)), str(rs.getObject(4)),
                                rs.getLong(5), rs.getLong(6), rs.getString(7), ts(rs, 8), rs.getInt(9), rs.getString(10), ts(rs, 11)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM supplier_item" + where)) {
                bind(ps, code, st, ext);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
        }
        return new Page<>(out, page, size, total);
    }

    @GET
    @Path("/{code}/failures")
    public List<FailureView> failures(@PathParam("code") String code, @QueryParam("limit") @DefaultValue("50") int limit)
            throws SQLException {
        suppliers.get(code);
        if (limit < 1 || limit > 500) {
            throw ApiProblem.invalidField("limit", "must be between 1 and 500", limit);
        }
        List<FailureView> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, channel, external_id, version, "
                + "reason_code, reason, row_ref, field, occurred_at FROM supplier_sync_failure WHERE supplier_code = ? ORDER BY occurred_at DESC, id DESC "
                + "LIMIT ?")) {
            ps.setString(1, code);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FailureView(String.valueOf(rs.getLong(1)), rs.getString(2), rs.getString(3), (Long) rs.getObject(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), ts(rs, 9)));
                }
            }
        }
        return out;
    }

    /** "Pull now": the supplier's next pull is due at once (202); a push-only supplier is 409 NOT_PULLED. */
    @POST
    @Path("/{code}/pull")
    public Response pullNow(@PathParam("code") String code) throws SQLException {
        var s = suppliers.get(code).supplier();
        if (!s.pulls()) {
            throw ApiProblem.conflict("NOT_PULLED", "supplier " + code + " is not pulled (syncMode " + s.syncMode + ")")
                    .with("supplierCode", code);
        }
        if (!s.enabled) {
            throw ApiProblem.conflict("SUPPLIER_DISABLED", "supplier " + code + " is disabled").with("supplierCode", code);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE supplier_sync_state SET "
                + "pull_requested_at = now(), next_pull_at = now(), updated_at = now() WHERE supplier_code = ?")) {
            ps.setString(1, code);
            ps.executeUpdate();
        }
        return Response.accepted(Map.of("supplierCode", code, "pullRequested", true)).build();
    }

    private static void bind(PreparedStatement ps, String code, String status, String ext) throws SQLException {
        ps.setString(1, code);
        ps.setString(2, status);
        ps.setString(3, status);
        ps.setString(4, ext);
        ps.setString(5, ext);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static OffsetDateTime ts(ResultSet rs, int i) throws SQLException {
        return rs.getObject(i, OffsetDateTime.class);
    }
}
