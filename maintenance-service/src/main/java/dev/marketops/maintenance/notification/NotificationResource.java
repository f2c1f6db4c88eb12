package dev.marketops.maintenance.notification;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The caller's own inbox (the user is the token's, never a parameter): newest first, optionally
 * unread only, paged by a cursor (the last id seen); and marking one or all read. Notices to a role
 * of the caller's (role_notification, of the last role-window) become the caller's own rows first.
 */
@Path("/notifications")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.NOTIFICATIONS_READ)
public class NotificationResource {

    public static final int MAX_LIMIT = 200;

    public record NotificationView(String id, String kind, String title, String body, String subjectType, String subjectId,
                                   OffsetDateTime createdAt, OffsetDateTime readAt) {
    }

    public record Inbox(List<NotificationView> items, long unread, String nextBefore) {
    }

    public record Marked(int marked) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    Caller caller;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "marketops.notifications.role-window", defaultValue = "P30D")
    java.time.Duration roleWindow;

    @GET
    public Inbox mine(@QueryParam("unread") @DefaultValue("false") boolean unreadOnly,
                      @QueryParam("before") String before,
                      @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.invalidField("limit", "must be 1.." + MAX_LIMIT, limit);
        }
        Long cursor = before == null || before.isBlank() ? null : id("before", before);
        long user = caller.userId();
        receiveRoleNotices();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, kind, title, body, subject_type, coalesce(subject_ref, subject_id::text), created_at, read_at FROM notification
                 WHERE user_id = ? AND (NOT ? OR read_at IS NULL) AND (?::bigint IS NULL OR id < ?)
                 ORDER BY id DESC LIMIT ?""");
             PreparedStatement count = c.prepareStatement(
                     "SELECT count(*) FROM notification WHERE user_id = ? AND read_at IS NULL")) {
            ps.setLong(1, user);
            ps.setBoolean(2, unreadOnly);
            ps.setObject(3, cursor, java.sql.Types.BIGINT);
            ps.setObject(4, cursor, java.sql.Types.BIGINT);
            ps.setInt(5, limit);
            List<NotificationView> items = new ArrayList<>();
            long last = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    items.add(new NotificationView(String.valueOf(last), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class),
                            rs.getObject(8, OffsetDateTime.class)));
                }
            }
            count.setLong(1, user);
            long unread;
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                unread = rs.getLong(1);
            }
            return new Inbox(items, unread, items.size() == limit ? String.valueOf(last) : null);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the inbox", e);
        }
    }

    /** Marks one of the caller's notifications read; another user's is not found (its existence is not told). */
    @POST
    @Path("/{id}/read")
    public Marked markRead(@PathParam("id") String id) {
        int n = mark("id = ?", id("id", id));
        if (n == 0 && !exists(id("id", id))) {
            throw ApiProblem.notFound("NOTIFICATION_NOT_FOUND", "no notification " + id + " in your inbox");
        }
        return new Marked(n);
    }

    @POST
    @Path("/read-all")
    public Marked markAllRead() {
        return new Marked(mark("true", null));
    }

    /**
     * The role notices of the window that the caller has not got yet become the caller's own rows
     * (one set-based statement; a notice is the caller's once, as its event id is).
     */
    private void receiveRoleNotices() {
        if (caller.roles().isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO notification (user_id, kind, title, body, subject_type, subject_id, subject_ref, event_id, created_at)
                SELECT ?, r.kind, r.title, r.body, r.subject_type, r.subject_id, r.subject_ref, r.event_id, r.created_at
                  FROM role_notification r
                 WHERE r.role = ANY (?) AND r.created_at > now() - make_interval(secs => ?)
                   AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.event_id = r.event_id AND n.user_id = ?)
                 ORDER BY r.id
                ON CONFLICT (event_id, user_id) DO NOTHING""")) {
            ps.setLong(1, caller.userId());
            ps.setArray(2, c.createArrayOf("text", caller.roles().toArray()));
            ps.setDouble(3, roleWindow.toSeconds());
            ps.setLong(4, caller.userId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not deliver the role notices", e);
        }
    }

    private int mark(String condition, Long id) {
        receiveRoleNotices();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE notification SET read_at = now() WHERE user_id = ? AND read_at IS NULL AND " + condition)) {
            ps.setLong(1, caller.userId());
            if (id != null) {
                ps.setLong(2, id);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark notifications read", e);
        }
    }

    private boolean exists(long id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM notification WHERE id = ? AND user_id = ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, caller.userId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the inbox", e);
        }
    }

    static long id(String field, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField(field, "must be a number", value);
        }
    }
}
