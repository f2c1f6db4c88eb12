package dev.marketops.listing.catalogue.history;

import dev.marketops.platform.problem.ApiProblem;
import java.time.Instant;

/**
 * A query over product history: every criterion optional; {@code shopScope} confines a merchant
 * to its own goods (null: every shop). Newest first; the keyset cursor is the last row's
 * {@code (change_time, id)} as {@code "<epoch micros>_<id>"}, or for one product its version.
 */
public record HistoryFilter(Long productId, Instant from, Instant to, ChangeType changeType, Long operatorId, Long batchId,
                            String supplierId, Long shopId, Long shopScope) {

    public static ChangeType changeType(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return ChangeType.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidField("changeType", "must be one of " + java.util.Arrays.toString(ChangeType.values()), s);
        }
    }

    public static Instant time(String field, String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.trim());
        } catch (Exception e) {
            throw ApiProblem.invalidField(field, "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z", s);
        }
    }

    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (productId != null) m.put("productId", productId.toString());
        if (from != null) m.put("from", from.toString());
        if (to != null) m.put("to", to.toString());
        if (changeType != null) m.put("changeType", changeType.name());
        if (operatorId != null) m.put("operatorId", operatorId.toString());
        if (batchId != null) m.put("batchId", batchId.toString());
        if (supplierId != null) m.put("supplierId", supplierId);
        if (shopId != null) m.put("shopId", shopId.toString());
        return m;
    }
}
