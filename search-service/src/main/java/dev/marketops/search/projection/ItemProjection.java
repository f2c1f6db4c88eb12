package dev.marketops.search.projection;

import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.Sku;
import java.util.List;
import java.util.Set;

/**
 * What the read side keeps of a catalogue item (Redis hash and search document), derived
 * from the catalogue's snapshot. Plain Java: the rules of the projection live here.
 */
public record ItemProjection(long itemId, long categoryId, long shopId, String title, String status, long version,
                             String sourceType, List<String> tags, String attributesJson, long priceCents,
                             long faceValueCents, long stock, long createdAt, long updatedAt, long firstOnlineAt,
                             List<SkuProjection> skus) {

    public record SkuProjection(long skuId, String skuCode, String status, long priceCents, long faceValueCents, long stock) {
    }

    /** A deleted item stays in the projections (operators filter on it) under this status. */
    public static final String REMOVED = "removed";
    private static final Set<String> LIVE = Set.of("online", "offline", "risk_control");

    /**
     * The projections hold items that reached the shop window at least once: a draft is an
     * unfinished publish saga (its data is in the listing task), and a draft deleted by a
     * saga's compensation was never visible.
     */
    public static boolean inScope(ItemSnapshot s) {
        return s.getFirstOnlineAt() > 0 || LIVE.contains(s.getStatus());
    }

    public static String projectedStatus(String catalogueStatus) {
        return "deleted".equals(catalogueStatus) ? REMOVED : catalogueStatus;
    }

    /** The in-scope items of a catalogue answer, as projections. */
    public static List<ItemProjection> inScope(List<ItemSnapshot> snapshots) {
        return snapshots.stream().filter(ItemProjection::inScope).map(ItemProjection::of).toList();
    }

    public static ItemProjection of(ItemSnapshot s) {
        long face = s.getSkusList().stream().mapToLong(Sku::getFaceValueCents).filter(v -> v > 0).min().orElse(0);
        return new ItemProjection(s.getItemId(), s.getCategoryId(), s.getShopId(), s.getTitle(),
                projectedStatus(s.getStatus()), s.getVersion(), s.getSourceType(), List.copyOf(s.getTagsList()),
                s.getAttributesJson().isEmpty() ? "{}" : s.getAttributesJson(), s.getMinPriceCents(), face,
                s.getTotalStock(), s.getCreatedAt(), s.getUpdatedAt(), s.getFirstOnlineAt(),
                s.getSkusList().stream().map(k -> new SkuProjection(k.getSkuId(), k.getSkuCode(), k.getStatus(),
                        k.getSalePriceCents(), k.getFaceValueCents(), k.getStock())).toList());
    }
}
