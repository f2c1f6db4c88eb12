package dev.marketops.listing.task;

/** Topics listing-service publishes to (through its outbox). */
public final class ListingTopics {

    /** Every ListingEvent of every task, keyed by task id: the lifecycle feed history and audit read. */
    public static final String LIFECYCLE = "listing.lifecycle";

    private ListingTopics() {
    }
}
