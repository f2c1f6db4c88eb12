package dev.marketops.listing.catalogue;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.AdjustPricesAndInventoryReply;
import dev.marketops.proto.catalog.AdjustPricesAndInventoryRequest;
import dev.marketops.proto.catalog.ItemResults;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * AdjustPricesAndInventory: a supplier's records carry price and stock of the same items, and
 * both land in one transaction. The two commands run as they would alone (their checks, their
 * history rows and events), prices first; the items are locked once for both (by the first, in
 * item order), so a page no longer waits for its own other half, and nobody sees one half applied.
 */
@ApplicationScoped
public class PriceAndStockAdjustments {

    @Inject
    PriceAdjustments prices;
    @Inject
    InventoryAdjustments inventory;

    /** {@code shopScope}: a merchant's shop (null: every shop). An empty part is skipped (an empty answer). */
    public AdjustPricesAndInventoryReply adjust(AdjustPricesAndInventoryRequest r, Long shopScope) {
        boolean withPrices = r.getPrices().getChangesCount() > 0;
        boolean withStock = r.getStock().getChangesCount() > 0;
        if (!withPrices && !withStock) {
            throw ApiProblem.missingField("prices.changes");
        }
        if (withPrices) {
            PriceAdjustments.check(r.getPrices());
        }
        if (withStock) {
            InventoryAdjustments.check(r.getStock());
        }
        return QuarkusTransaction.requiringNew().call(() -> AdjustPricesAndInventoryReply.newBuilder()
                .setPrices(withPrices ? prices.applyInTransaction(r.getPrices(), shopScope) : ItemResults.getDefaultInstance())
                .setStock(withStock ? inventory.applyInTransaction(r.getStock(), shopScope) : ItemResults.getDefaultInstance())
                .build());
    }
}
