package dev.marketops.search.reconcile;

import java.util.Locale;

/** A way a projection can differ from the catalogue; the report counts each. */
public enum DriftKind {
    REDIS_MISSING, REDIS_PRICE, REDIS_STOCK, REDIS_STATUS,
    INDEX_MISSING, INDEX_PRICE, INDEX_STOCK, INDEX_STATUS,
    /** In a projection, but the catalogue has no such item (or one that was never online). */
    ORPHAN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
