package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One history row as the API shows it (64-bit ids as strings). */
public record HistoryEntry(String id, String productId, long versionNumber, String changeType, ObjectNode oldValue,
                           ObjectNode newValue, String changeReason, String shopId, String operatorId, String operatorName,
                           String operatorRole, String ipAddress, String deviceInfo, Instant changeTime, Cause cause) {

    /** What caused the change. */
    public record Cause(String taskId, String batchId, Integer batchRow, String supplierId, String supplierMessageId, String sagaId,
                        String requestId) {
    }

    HistoryEntry masked(ObjectNode oldMasked, ObjectNode newMasked) {
        return new HistoryEntry(id, productId, versionNumber, changeType, oldMasked, newMasked, changeReason, shopId, operatorId,
                operatorName, operatorRole, ipAddress, deviceInfo, changeTime, cause);
    }
}
