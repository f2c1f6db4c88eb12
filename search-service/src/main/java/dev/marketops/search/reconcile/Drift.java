package dev.marketops.search.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketops.search.projection.ItemProjection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** How a stored projection differs from the catalogue's truth (price, stock, status). Plain Java. */
public final class Drift {

    private Drift() {
    }

    public static Set<DriftKind> ofRedis(ItemProjection truth, Map<String, String> hash) {
        Set<DriftKind> kinds = EnumSet.noneOf(DriftKind.class);
        if (hash == null) {
            kinds.add(DriftKind.REDIS_MISSING);
            return kinds;
        }
        if (!Long.toString(truth.priceCents()).equals(hash.get("price"))) {
            kinds.add(DriftKind.REDIS_PRICE);
        }
        if (!Long.toString(truth.stock()).equals(hash.get("stock"))) {
            kinds.add(DriftKind.REDIS_STOCK);
        }
        if (!truth.status().equals(hash.get("status"))) {
            kinds.add(DriftKind.REDIS_STATUS);
        }
        return kinds;
    }

    public static Set<DriftKind> ofIndex(ItemProjection truth, JsonNode doc) {
        Set<DriftKind> kinds = EnumSet.noneOf(DriftKind.class);
        if (doc == null) {
            kinds.add(DriftKind.INDEX_MISSING);
            return kinds;
        }
        if (!doc.path("price_cents").canConvertToLong() || doc.path("price_cents").asLong() != truth.priceCents()) {
            kinds.add(DriftKind.INDEX_PRICE);
        }
        if (!doc.path("stock").canConvertToLong() || doc.path("stock").asLong() != truth.stock()) {
            kinds.add(DriftKind.INDEX_STOCK);
        }
        if (!truth.status().equals(doc.path("status").asText(null))) {
            kinds.add(DriftKind.INDEX_STATUS);
        }
        return kinds;
    }
}
