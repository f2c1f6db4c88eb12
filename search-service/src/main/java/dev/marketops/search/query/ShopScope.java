package dev.marketops.search.query;

import dev.marketops.platform.problem.ApiProblem;

/**
 * The shop filter a caller may search with: staff name any shop (or none); a merchant's filter
 * is always its own shop. Naming another shop is refused (403, the same for every other shop
 * id, so it tells nothing about that shop) rather than silently answered with the merchant's
 * own goods under someone else's filter. The one rule for searches, saved views and exports.
 */
public final class ShopScope {

    private ShopScope() {
    }

    /** ownShop: the merchant's shop (null for staff); answers the shop filter to search with. */
    public static String scoped(Long ownShop, String shopId, String merchantId) {
        boolean byShop = shopId != null && !shopId.isBlank();
        String requested = byShop ? shopId : (merchantId == null || merchantId.isBlank() ? null : merchantId);
        if (ownShop == null) {
            return requested;
        }
        if (requested != null && !requested.trim().equals(Long.toString(ownShop))) {
            String field = byShop ? "shopId" : "merchantId";
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "a merchant sees only its own shop's goods")
                    .with("field", field).with("value", requested);
        }
        return Long.toString(ownShop);
    }
}
