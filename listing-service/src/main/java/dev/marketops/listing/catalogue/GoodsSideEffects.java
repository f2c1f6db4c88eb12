package dev.marketops.listing.catalogue;

import dev.marketops.listing.catalogue.domain.GoodsSideEffectRules;
import dev.marketops.listing.catalogue.domain.GoodsSideEffectRules.Effect;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.events.GoodsStatusChangedEvent;
import dev.marketops.proto.events.ItemChangedEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Applies the side effects {@link GoodsSideEffectRules} names for one status event, inside the
 * consumer's transaction. Each applied effect is recorded per (event, effect) first; an effect
 * already recorded is not applied again, so a redelivery changes nothing.
 */
@ApplicationScoped
public class GoodsSideEffects {

    @Inject
    AgroalDataSource ds;
    @Inject
    Outbox outbox;

    public void apply(String eventId, GoodsStatusChangedEvent e) throws SQLException {
        if (!GoodsSideEffectRules.mayHaveEffects(e.getToStatus())) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            boolean shopLevel = !e.getRequestId().isEmpty() && exists(c, "SELECT 1 FROM shop_status_request WHERE request_id = ?",
                    e.getRequestId());
            for (Effect effect : GoodsSideEffectRules.effects(e.getToStatus(), e.getOperatorType(), shopLevel)) {
                if (Sql.update(c, "INSERT INTO goods_side_effect (event_id, effect, item_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        eventId, effect.wire, e.getItemId()) == 0) {
                    continue;
                }
                int rows = switch (effect) {
                    case SHOWCASE_UNLINK -> Sql.update(c,
                            "UPDATE showcase_link SET deleted_at = now() WHERE item_id = ? AND deleted_at IS NULL", e.getItemId());
                    case CATEGORY_UNLINK -> Sql.update(c,
                            "UPDATE category_link SET deleted_at = now() WHERE item_id = ? AND deleted_at IS NULL", e.getItemId());
                    case SKU_STATUS -> Sql.update(c,
                            "UPDATE sku SET status = 'deleted', updated_at = now() WHERE item_id = ? AND status <> 'deleted'", e.getItemId());
                    // Seed 004 note 6: before the campaign starts the item leaves it and its presale is
                    // cancelled; while it runs the item keeps both; after it ended there is nothing to undo.
                    case CAMPAIGN_PRESALE -> Sql.update(c, """
                            UPDATE campaign_item ci SET status = 'left', presale = FALSE, left_at = now(), left_reason = ?
                            FROM campaign k WHERE k.campaign_id = ci.campaign_id AND ci.item_id = ? AND ci.status = 'active'
                              AND k.starts_at > now()""", "goods " + e.getToStatus(), e.getItemId());
                };
                Sql.update(c, "UPDATE goods_side_effect SET rows_changed = ? WHERE event_id = ? AND effect = ?", rows, eventId, effect.wire);
                if (effect == Effect.SKU_STATUS && rows > 0) {
                    skusChanged(c, e.getItemId());
                }
            }
        }
    }

    /**
     * SKU status is part of the item's snapshot (its price and stock), so the item's version
     * moves and the read side hears of it; otherwise the projections would keep the old
     * figures until reconciliation repaired them.
     */
    private void skusChanged(Connection c, long itemId) throws SQLException {
        Long version = Sql.bumpVersions(c, java.util.List.of(itemId)).get(itemId);
        if (version == null) {
            return;
        }
        ItemChangedEvent ev = ItemChangedEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setTimestamp(System.currentTimeMillis()).setItemId(itemId).setItemVersion(version).setChangeType("sku_status").build();
        outbox.enqueue(CatalogueTopics.ITEM_CHANGED, Long.toString(itemId), "item_changed", ev.getEventId(), ev);
    }

    private static boolean exists(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
