package dev.marketops.listing.catalogue.history;

/**
 * Why a product changed and what caused it (seed 002: reason; and which listing task, batch row,
 * supplier message or saga). The operator comes from the acting user ({@code ActorPropagation});
 * {@code operatorId} / {@code operatorRole} stand in only when no user is propagated (an
 * asynchronous worker acting on a recorded request, such as a shop-level status change).
 *
 * @param taskFromItem record the item's own listing task as the cause (publishing)
 */
public record ChangeCause(String reason, Long batchId, String supplierId, String supplierMessageId, String sagaId,
                          String requestId, boolean taskFromItem, Long operatorId, String operatorRole) {

    public static ChangeCause batch(long batchId, String reason, long operatorId) {
        return new ChangeCause(blankToNull(reason), batchId == 0 ? null : batchId, null, null, null, null, false,
                operatorId == 0 ? null : operatorId, null);
    }

    public static ChangeCause request(String reason, String requestId, long operatorId, String operatorRole) {
        return new ChangeCause(blankToNull(reason), null, null, null, null, blankToNull(requestId), false,
                operatorId == 0 ? null : operatorId, operatorRole);
    }

    public static ChangeCause publish(String sagaId) {
        return new ChangeCause("published", null, null, null, blankToNull(sagaId), null, true, null, null);
    }

    public static ChangeCause of(String reason) {
        return new ChangeCause(blankToNull(reason), null, null, null, null, null, false, null, null);
    }

    public ChangeCause withSupplier(String supplier, String messageId) {
        return new ChangeCause(reason, batchId, blankToNull(supplier), blankToNull(messageId), sagaId, requestId, taskFromItem,
                operatorId, operatorRole);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
