package dev.marketops.maintenance.notification;

import java.util.List;

/** The kinds of notification, as the inbox shows them and webhooks subscribe to them. */
public final class Kinds {

    static final String TOPIC_LISTING_REJECTED = "listing.rejected";
    static final String TOPIC_BATCH_COMPLETED = "operation.batch.completed";
    /** listing-service's WatchdogWorker gave up on a stuck task. */
    static final String TOPIC_LISTING_ESCALATED = "listing.task.escalated";
    /** supplier-sync-service: a pull stopped. */
    static final String TOPIC_SUPPLIER_SYNC_FAILED = "supplier.sync.failed";

    public static final String LISTING_REJECTED = "listing.rejected";
    public static final String LISTING_ESCALATED = "listing.escalated";
    public static final String SUPPLIER_SYNC_FAILED = "supplier.sync_failed";
    /** Who is told of an escalation: the people who unstick listings. */
    static final List<String> ESCALATION_ROLES = List.of("operator");
    /** Who is told of a failing supplier: the people who run the suppliers. */
    static final List<String> SUPPLIER_ROLES = List.of("supplier_admin");
    /**
     * A supplier's failing pulls are told when they start (the first failure after a good pull)
     * and once more at the monitor's alert threshold; the retries in between are not news.
     */
    static final List<Integer> SUPPLIER_FAILURES_TOLD = List.of(1, 3);
    /** batch.completed, batch.partial_success, batch.failed, batch.cancelled: the batch's terminal status. */
    static final List<String> BATCH_STATUSES = List.of("completed", "partial_success", "failed", "cancelled");
    public static final List<String> ALL = List.of(LISTING_REJECTED, "batch.completed", "batch.partial_success", "batch.failed",
            "batch.cancelled", LISTING_ESCALATED, SUPPLIER_SYNC_FAILED);

    static String batchKind(String status) {
        return "batch." + (BATCH_STATUSES.contains(status) ? status : "completed");
    }

    private Kinds() {
    }
}
