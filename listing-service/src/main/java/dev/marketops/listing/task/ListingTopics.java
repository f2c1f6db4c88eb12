package dev.marketops.listing.task;

/** Topics listing-service publishes to (through its outbox). */
public final class ListingTopics {

    /** Every ListingEvent of every task, keyed by task id: the lifecycle feed history and audit read. */
    public static final String LIFECYCLE = "listing.lifecycle";
    public static final String AUDIT_PENDING = "listing.audit.pending";
    public static final String PUBLISH_READY = "listing.publish.ready";
    public static final String REJECTED = "listing.rejected";
    public static final String PUBLISHED = "listing.published";
    /** Approved tasks of a batch, announced together (ListingBatchEvent chunks of at most 1,000 ids). */
    public static final String BATCH_AUDITED = "listing.batch.audited";
    /** WatchdogWorker gave up on a stuck task (ListingEvent with sub_status and reason): operators are told. */
    public static final String ESCALATED = "listing.task.escalated";

    /** The flow topic an action hands the task to, besides the lifecycle feed. */
    public static java.util.Optional<String> flowTopic(ListingAction action) {
        return java.util.Optional.ofNullable(switch (action) {
            case SUBMIT -> AUDIT_PENDING;
            case APPROVE -> PUBLISH_READY;
            case REJECT -> REJECTED;
            case PUBLISH -> PUBLISHED;
            default -> null;
        });
    }

    /** The seed's event_type names (6.2) for each action. */
    public static String eventType(ListingAction action) {
        return switch (action) {
            case SUBMIT -> "submitted";
            case APPROVE -> "audited";
            case REJECT -> "rejected";
            case PUBLISH -> "published";
            case EDIT -> "edited";
            case DELETE -> "deleted";
            default -> "status_changed";
        };
    }

    private ListingTopics() {
    }
}
