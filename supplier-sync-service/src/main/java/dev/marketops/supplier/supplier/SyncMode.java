package dev.marketops.supplier.supplier;

/** How a supplier's changes reach us (main seed 3.5.1-3.5.2): it pushes, we pull its change API, or both (push plus a reconciling pull). */
public enum SyncMode {
    PUSH, PULL, BOTH
}
