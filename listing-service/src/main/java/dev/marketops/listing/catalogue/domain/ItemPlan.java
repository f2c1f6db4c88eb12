package dev.marketops.listing.catalogue.domain;

import java.util.List;

/**
 * What an approved listing becomes in the catalogue: its SKUs with prices, stock and dated
 * slots, its bundle parts, the voucher codes it brings and its attribute rows. Derived from
 * the task's item data by {@link CataloguePlanner}; the saga steps write parts of it.
 */
public record ItemPlan(List<SkuPlan> skus, List<BundlePart> bundle, List<String> codes, List<Attribute> attributes,
                       AttributeRefusal refusal) {

    /** One SKU. {@code stock} -1 is unlimited; for dated SKUs it is the sum over the slots. */
    public record SkuPlan(String skuCode, String name, long salePriceCents, long faceValueCents, long stock, List<Slot> calendar) {
    }

    /** A night of a hotel calendar or a movie session. */
    public record Slot(String slot, long priceCents, long stock) {
    }

    public record BundlePart(long subItemId, int quantity, long priceCents) {
    }

    /** An attribute row; {@code json} says the value is JSON text (numbers, booleans, arrays, objects). */
    public record Attribute(String code, String value, boolean json) {
    }

    /** Why the catalogue cannot store one of the item's attributes. */
    public record AttributeRefusal(String field, String message) {
    }
}
