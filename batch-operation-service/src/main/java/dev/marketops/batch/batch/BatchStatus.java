package dev.marketops.batch.batch;

/** A batch's life: created, its rows validated, applied, then one of the final states. */
public enum BatchStatus {
    CREATED, VALIDATING, PROCESSING, COMPLETED, PARTIAL_SUCCESS, FAILED, CANCELLED
}
