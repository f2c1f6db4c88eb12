package dev.marketops.listing.task;

import java.util.Map;

/**
 * What a caller (REST, gRPC, batch import) asks for when creating a listing task. Who acts
 * (creatorId, merchantId, sourceUserType) and the shop are settled by {@link ListingOrigins}
 * from the acting user before the task is written.
 */
public record CreateListingCommand(Long categoryId, String title, String taskType, String sourceType,
                                   String sourceUserType, Long creatorId, Long merchantId,
                                   Map<String, Object> itemData, Long shopId) {
}
