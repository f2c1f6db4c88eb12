package dev.marketops.maintenance.notification;

import java.util.List;

/** The kinds of notification, as the inbox shows them and webhooks subscribe to them. */
public final class Kinds {

    static final String TOPIC_LISTING_REJECTED = "listing.rejected";
    static final String TOPIC_BATCH_COMPLETED = "operation.batch.completed";

    public static final String LISTING_REJECTED = "listing.rejected";
    /** batch.completed, batch.partial_success, batch.failed, batch.cancelled: the batch's terminal status. */
    static final List<String> BATCH_STATUSES = List.of("completed", "partial_success", "failed", "cancelled");
    public static final List<String> ALL = List.of(LISTING_REJECTED, "batch.completed", "batch.partial_success", "batch.failed",
            "batch.cancelled");

    static String batchKind(String status) {
        return "batch." + (BATCH_STATUSES.contains(status) ? status : "completed");
    }

    private Kinds() {
    }
}
