package dev.marketops.batch.ops;

import dev.marketops.batch.worker.BatchParams;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;

/** A filter-defined batch of a merchant covers its own shop only: another shop's id is a 404, none means its own. */
final class MerchantScope {

    private MerchantScope() {
    }

    /** The shop the filter covers: params.shopId for staff (null: every shop), the merchant's own shop for merchants. */
    static Long shop(BatchParams params, Actor creator) {
        Long asked = params.longOrNull("shopId");
        if (!creator.isMerchant()) {
            return asked;
        }
        if (asked != null && !asked.equals(creator.merchantId())) {
            throw ApiProblem.notFound("UNKNOWN_SHOP", "no shop with id " + asked).with("shopId", asked);
        }
        return creator.merchantId();
    }
}
