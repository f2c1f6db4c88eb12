package dev.marketops.search.projection;

import java.util.List;

/** An item as the read API answers it; {@code servedFrom} says which level answered (l1 / redis / catalogue). */
public record ItemView(long itemId, long categoryId, long shopId, String title, String status, long version,
                       String sourceType, List<String> tags, long priceCents, long faceValueCents, long stock,
                       long createdAt, long updatedAt, List<ItemProjection.SkuProjection> skus, String servedFrom) {

    public ItemView from(String level) {
        return new ItemView(itemId, categoryId, shopId, title, status, version, sourceType, tags, priceCents,
                faceValueCents, stock, createdAt, updatedAt, skus, level);
    }

    public static ItemView of(ItemProjection p, String level) {
        return new ItemView(p.itemId(), p.categoryId(), p.shopId(), p.title(), p.status(), p.version(), p.sourceType(),
                p.tags(), p.priceCents(), p.faceValueCents(), p.stock(), p.createdAt(), p.updatedAt(), p.skus(), level);
    }
}
