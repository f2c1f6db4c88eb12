package dev.marketops.listing.catalogue.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Which side effects a goods status change has (seed 004, "同步数据说明"), in one place:
 * <ul>
 * <li>offline, delete and risk control: showcase links are removed (logically) - not for goods
 *     expanded from a shop-level request; presale is cancelled and a campaign that has not
 *     started yet is left (a running campaign keeps the item, a finished one is left alone).</li>
 * <li>delete only, not by risk control: category links are removed; SKUs are marked deleted
 *     (not for shop-level expansions either).</li>
 * </ul>
 * Notifying ad systems, audit and distribution are other systems' concern here; they consume
 * goods.status.changed themselves.
 */
public final class GoodsSideEffectRules {

    public enum Effect {
        SHOWCASE_UNLINK("showcase_unlink"), CAMPAIGN_PRESALE("campaign_presale"), CATEGORY_UNLINK("category_unlink"),
        SKU_STATUS("sku_status");

        public final String wire;

        Effect(String wire) {
            this.wire = wire;
        }
    }

    private GoodsSideEffectRules() {
    }

    /** Whether a change to this status can have any effect (only going offline, deleted or to risk control can). */
    public static boolean mayHaveEffects(String toStatus) {
        return "offline".equals(toStatus) || "deleted".equals(toStatus) || "risk_control".equals(toStatus);
    }

    public static List<Effect> effects(String toStatus, String operatorType, boolean shopLevel) {
        List<Effect> out = new ArrayList<>();
        if (!mayHaveEffects(toStatus)) {
            return out;
        }
        if (!shopLevel) {
            out.add(Effect.SHOWCASE_UNLINK);
        }
        out.add(Effect.CAMPAIGN_PRESALE);
        if ("deleted".equals(toStatus) && !"risk_control".equals(operatorType)) {
            out.add(Effect.CATEGORY_UNLINK);
            if (!shopLevel) {
                out.add(Effect.SKU_STATUS);
            }
        }
        return out;
    }
}
