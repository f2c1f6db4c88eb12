package dev.marketops.listing.catalogue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The owner of item_tag, the item-tag relations (main seed 4.6.2). item.tags is what a change
 * writes; {@link #follow} then makes the relations of those items equal to it, in the same
 * transaction, with two set-based statements for the lot. A relation that stays keeps its
 * added_at / added_by.
 */
public final class ItemTags {

    private ItemTags() {
    }

    /** The relations of these items made to match their tags; {@code operatorId} 0: nobody named. */
    public static void follow(Connection c, Collection<Long> itemIds, long operatorId) throws SQLException {
        if (itemIds.isEmpty()) {
            return;
        }
        Sql.update(c, """
                DELETE FROM item_tag t USING item i
                WHERE t.item_id = i.item_id AND i.item_id = ANY(?) AND t.tag_code <> ALL(i.tags)""", Sql.longs(c, itemIds));
        Sql.update(c, """
                INSERT INTO item_tag (item_id, tag_code, category_id, added_by)
                SELECT i.item_id, x.tag_code, i.category_id, CAST(? AS bigint)
                FROM item i CROSS JOIN LATERAL unnest(i.tags) AS x(tag_code) WHERE i.item_id = ANY(?)
                ON CONFLICT (item_id, tag_code) DO NOTHING""", operatorId == 0 ? null : operatorId, Sql.longs(c, itemIds));
    }
}
