package dev.marketops.search.reconcile;

import dev.marketops.proto.catalog.StreamItemsRequest;
import java.util.List;

/**
 * Which part of the catalogue a run compares: everything (the daily run), or a range of item
 * ids, categories or a shop (an operator's run after an incident). Orphans can only be told
 * apart when every item of an id range is compared, so a category or shop run skips them.
 */
public record ReconciliationScope(Long afterItemId, Long untilItemId, List<Long> categoryIds, Long shopId) {

    public static final ReconciliationScope ALL = new ReconciliationScope(null, null, List.of(), null);

    public ReconciliationScope {
        categoryIds = categoryIds == null ? List.of() : List.copyOf(categoryIds);
    }

    public boolean findsOrphans() {
        return categoryIds.isEmpty() && (shopId == null || shopId == 0);
    }

    public long after() {
        return afterItemId == null ? 0 : afterItemId;
    }

    public long until() {
        return untilItemId == null ? Long.MAX_VALUE : untilItemId;
    }

    StreamItemsRequest request(int pageSize) {
        StreamItemsRequest.Builder b = StreamItemsRequest.newBuilder().setAfterItemId(after()).setPageSize(pageSize)
                .setIncludeDeleted(true).addAllCategoryIds(categoryIds);
        if (shopId != null) {
            b.setShopId(shopId);
        }
        return b.build();
    }
}
