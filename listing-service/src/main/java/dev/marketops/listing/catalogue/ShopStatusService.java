package dev.marketops.listing.catalogue;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.events.ShopStatusRequestedEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Shop-level status changes (seed 004 notes 2-4): the request is accepted once per request id
 * and announced on goods.shop.status.requested; {@link #expand} then walks the shop's
 * non-deleted goods in item-id order, a chunk per transaction (one set-based change plus its
 * events), storing the cursor and counts with each chunk so a restart continues where it stopped.
 */
@ApplicationScoped
public class ShopStatusService {

    private static final Logger LOG = Logger.getLogger(ShopStatusService.class);

    public record Accepted(String requestId, long goodsCount, boolean replayed) {
    }

    public record Progress(String requestId, long shopId, String targetStatus, String operatorType, long operatorId, String reason,
                           String status, long total, long processed, long changed, long skipped, int chunks, long lastItemId,
                           Timestamp createdAt, Timestamp finishedAt) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    Outbox outbox;
    @Inject
    GoodsStatusService goods;

    @ConfigProperty(name = "marketops.shop-status.chunk-size", defaultValue = "500")
    int chunkSize;

    public Accepted accept(long shopId, GoodsStatusService.Command cmd) {
        if (shopId <= 0) {
            throw ApiProblem.invalidField("shop_id", "must be a shop id", shopId);
        }
        String requestId = cmd.requestId() == null ? UUID.randomUUID().toString() : cmd.requestId();
        if (requestId.length() > 128) {
            throw ApiProblem.invalidField("request_id", "must be at most 128 characters", requestId.length());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO shop_status_request (request_id, shop_id, target_status, operator_type, operator_id, reason, total)
                        SELECT ?, ?, ?, ?, ?, ?, (SELECT count(*) FROM item WHERE shop_id = ? AND status <> 'deleted')
                        ON CONFLICT (request_id) DO NOTHING RETURNING total""")) {
                    Sql.bind(ps, requestId, shopId, cmd.target().wire(), cmd.operatorType(), cmd.operatorId(), cmd.reason(), shopId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long total = rs.getLong(1);
                            ShopStatusRequestedEvent e = ShopStatusRequestedEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                                    .setTimestamp(System.currentTimeMillis()).setRequestId(requestId).setShopId(shopId)
                                    .setTargetStatus(cmd.target().wire()).setOperatorType(cmd.operatorType())
                                    .setOperatorId(cmd.operatorId()).setReason(cmd.reason() == null ? "" : cmd.reason()).build();
                            outbox.enqueue(CatalogueTopics.SHOP_STATUS_REQUESTED, Long.toString(shopId), "shop_status_requested",
                                    e.getEventId(), e);
                            return new Accepted(requestId, total, false);
                        }
                    }
                }
                Progress earlier = progress(c, requestId).orElseThrow();
                if (earlier.shopId() != shopId || !earlier.targetStatus().equals(cmd.target().wire())) {
                    throw new ApiProblem(422, "IDEMPOTENCY_KEY_REUSED", "Request id reused",
                            "request id " + requestId + " was used for a different shop or status").with("requestId", requestId);
                }
                return new Accepted(requestId, earlier.total(), true);
            }
        });
    }

    public Optional<Progress> progress(String requestId) {
        try (Connection c = ds.getConnection()) {
            return progress(c, requestId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Progress> progress(Connection c, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT request_id, shop_id, target_status, operator_type, operator_id, reason, status, total, processed, changed,
                       skipped, chunks, last_item_id, created_at, finished_at FROM shop_status_request WHERE request_id = ?""")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Progress(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                        rs.getInt(12), rs.getLong(13), rs.getTimestamp(14), rs.getTimestamp(15)));
            }
        }
    }

    /** Unfinished requests whose progress has not moved for {@code idle}, oldest first. */
    public java.util.List<String> stalled(java.time.Duration idle, int limit) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT request_id FROM shop_status_request WHERE status <> 'done' AND updated_at < now() - make_interval(secs => ?) "
                        + "ORDER BY updated_at LIMIT ?")) {
            ps.setDouble(1, idle.toSeconds());
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Runs the request's remaining chunks; each chunk locks the request row, so two workers
     * never apply the same chunk, and a redelivered or resumed request continues from its cursor.
     */
    public void expand(String requestId) {
        while (QuarkusTransaction.requiringNew().call(() -> nextChunk(requestId))) {
            // one transaction per chunk
        }
    }

    private boolean nextChunk(String requestId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Progress p;
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id FROM shop_status_request WHERE request_id = ? FOR UPDATE")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        LOG.warnf("shop status request %s is unknown; nothing to expand", requestId);
                        return false;
                    }
                }
            }
            p = progress(c, requestId).orElseThrow();
            if ("done".equals(p.status())) {
                return false;
            }
            GoodsStatusService.Command cmd = GoodsStatusService.command(p.targetStatus(), p.operatorType(), p.operatorId(),
                    p.reason(), p.requestId(), true);
            GoodsStatusService.ChunkOutcome o = goods.applyShopChunk(c, p.shopId(), p.lastItemId(), chunkSize, cmd);
            boolean last = o.seen() < chunkSize;
            Sql.update(c, """
                    UPDATE shop_status_request SET processed = processed + ?, changed = changed + ?, skipped = skipped + ?,
                        chunks = chunks + ?, last_item_id = ?, status = ?, updated_at = now(),
                        finished_at = CASE WHEN ? THEN now() ELSE finished_at END
                    WHERE request_id = ?""",
                    o.seen(), o.changed(), o.skipped(), o.seen() > 0 ? 1 : 0, o.lastItemId(), last ? "done" : "running", last, requestId);
            return !last;
        }
    }
}
