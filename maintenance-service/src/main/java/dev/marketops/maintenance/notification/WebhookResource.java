package dev.marketops.maintenance.notification;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Webhook subscriptions (operators and admins: they receive every user's notices of their kinds).
 * The secret signs each delivery; it is shown once, in the answer to the registration.
 */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.WEBHOOKS_MANAGE)
public class WebhookResource {

    public record Registration(String url, String secret, List<String> kinds) {
    }

    public record Registered(String id, String url, List<String> kinds, String secret) {
    }

    public record WebhookView(String id, String url, List<String> kinds, boolean active, String createdBy,
                              OffsetDateTime createdAt, long delivered, long pending, long failed) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AgroalDataSource ds;
    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(Registration r) {
        if (r == null || r.url() == null || r.url().isBlank()) {
            throw ApiProblem.missingField("url");
        }
        URI uri;
        try {
            uri = URI.create(r.url());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidField("url", "is no URL", r.url());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null || r.url().length() > 2000) {
            throw ApiProblem.invalidField("url", "must be an http(s) URL of at most 2000 characters", r.url());
        }
        if (r.kinds() == null || r.kinds().isEmpty()) {
            throw ApiProblem.missingField("kinds");
        }
        for (String k : r.kinds()) {
            if (!Kinds.ALL.contains(k)) {
                throw ApiProblem.invalidField("kinds", "must be of " + Kinds.ALL, k);
            }
        }
        String secret = r.secret();
        if (secret == null || secret.isBlank()) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            secret = HexFormat.of().formatHex(b);
        } else if (secret.length() < 16 || secret.length() > 200) {
            throw ApiProblem.invalidField("secret", "must be 16..200 characters", "(hidden)");
        }
        List<String> kinds = r.kinds().stream().distinct().toList();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO webhook_subscription (url, secret, kinds, created_by) VALUES (?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, r.url());
            ps.setString(2, secret);
            ps.setArray(3, c.createArrayOf("text", kinds.toArray()));
            ps.setLong(4, caller.userId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String id = String.valueOf(rs.getLong(1));
                return Response.status(201).entity(new Registered(id, r.url(), kinds, secret)).build();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not register the webhook", e);
        }
    }

    @GET
    public List<WebhookView> list() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT s.id, s.url, s.kinds, s.active, s.created_by, s.created_at,
                       count(*) FILTER (WHERE d.status = 'delivered'), count(*) FILTER (WHERE d.status = 'pending'),
                       count(*) FILTER (WHERE d.status = 'failed')
                  FROM webhook_subscription s LEFT JOIN webhook_delivery d ON d.subscription_id = s.id
                 GROUP BY s.id ORDER BY s.id""");
             ResultSet rs = ps.executeQuery()) {
            List<WebhookView> out = new ArrayList<>();
            while (rs.next()) {
                Array kinds = rs.getArray(3);
                out.add(new WebhookView(String.valueOf(rs.getLong(1)), rs.getString(2), List.of((String[]) kinds.getArray()),
                        rs.getBoolean(4), String.valueOf(rs.getLong(5)), rs.getObject(6, OffsetDateTime.class),
                        rs.getLong(7), rs.getLong(8), rs.getLong(9)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not list webhooks", e);
        }
    }

    /** Removes a subscription and its deliveries (pending ones are not sent any more). */
    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") String id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM webhook_subscription WHERE id = ?")) {
            ps.setLong(1, NotificationResource.id("id", id));
            if (ps.executeUpdate() == 0) {
                throw ApiProblem.notFound("WEBHOOK_NOT_FOUND", "no webhook " + id);
            }
            return Response.noContent().build();
        } catch (SQLException e) {
            throw new IllegalStateException("could not remove the webhook", e);
        }
    }
}
