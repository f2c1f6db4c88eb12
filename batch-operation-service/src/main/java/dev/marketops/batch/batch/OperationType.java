package dev.marketops.batch.batch;

/**
 * The batch operations (main seed 3.3.2). Each later gets its one class that parses, validates
 * and applies a chunk of rows; adding an operation is a value here plus that class.
 */
public enum OperationType {
    LISTING_UPLOAD, PRICE_ADJUST, INVENTORY_UPDATE, ITEM_EDIT, STATUS_CHANGE, VOUCHER_CODE_IMPORT, TAG_BATCH_ADD, TAG_BATCH_REMOVE, HISTORY_RESTORE
}
