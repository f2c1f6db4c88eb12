package dev.marketops.listing.task;

import java.util.Map;

/** What a caller (REST, gRPC, batch import) asks for when creating a listing task. */
public record CreateListingCommand(Long categoryId, String title, String taskType, String sourceType,
                                   String sourceUserType, Long creatorId, Long merchantId,
                                   Map<String, Object> itemData) {
}
