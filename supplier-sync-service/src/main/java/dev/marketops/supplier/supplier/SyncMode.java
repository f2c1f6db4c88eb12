package dev.marketops.supplier.supplier;

/** How a supplier's changes reach us (main seed 3.5.1): it pushes to Kafka, or we pull its change API. */
public enum SyncMode {
    PUSH, PULL
}
