package dev.marketops.supplier.adapter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A supplier record in the platform's model: the item data a new listing is created from, and
 * the catalogue changes (prices and stock per dated slot, status) a known item receives.
 *
 * @param slot   a dated slot: hotel night (ISO date) or movie session (its show_time); "" for the base price/stock
 * @param offline the supplier withdrew it (a cancelled session, a deal taken off the feed)
 * @param expiresAt after this the item cannot be sold any more (session start, last night); null: never
 * @param changedAt when the supplier changed it (for the sync lag); null when the supplier does not say
 */
public record SupplierRecord(String externalId, long version, long categoryId, String title, Map<String, Object> itemData,
                             List<Slot> slots, boolean offline, Instant expiresAt, Instant changedAt) {

    public record Slot(String slot, long priceCents, Long stock) {
    }
}
