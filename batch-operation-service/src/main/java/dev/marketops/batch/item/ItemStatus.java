package dev.marketops.batch.item;

/** One row's life in a batch (the commercetools Import API's per-item states). */
public enum ItemStatus {
    PENDING, VALIDATING, VALIDATION_FAILED, PROCESSING, SUCCEEDED, FAILED, SKIPPED;

    public String wire() {
        return name().toLowerCase();
    }
}
