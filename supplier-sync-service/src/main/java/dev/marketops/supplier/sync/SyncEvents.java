package dev.marketops.supplier.sync;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.events.SupplierSyncEvent;
import dev.marketops.supplier.supplier.Supplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The events of a supplier's sync, through the outbox in the transaction that records the sync
 * state: supplier.sync.applied per page (maintenance-service's statistics: success and lag per
 * hour and day) and supplier.sync.failed per stopped pull (its notifications to supplier admins).
 */
@ApplicationScoped
public class SyncEvents {

    public static final String TOPIC_APPLIED = "supplier.sync.applied";
    public static final String TOPIC_FAILED = "supplier.sync.failed";

    @Inject
    Outbox outbox;

    /** A page's outcome; {@code newestChange} null when its records carry no change time. Needs a transaction. */
    public void pageApplied(Supplier s, Channel channel, int received, int applied, int ignored, int failed, Instant newestChange) {
        double lag = newestChange == null ? -1 : Math.max(0, Duration.between(newestChange, Instant.now()).toMillis() / 1000.0);
        SupplierSyncEvent e = base(s, channel, "page_applied").setReceivedCount(received).setAppliedCount(applied)
                .setIgnoredCount(ignored).setFailedCount(failed).setLagSeconds(lag).build();
        outbox.enqueue(TOPIC_APPLIED, s.code, e.getEventType(), e.getEventId(), e);
    }

    /** A pull that stopped: why ({@code reasonCode}: the reason's prefix), the how-manieth failure in a row, when it is tried again. */
    public void pullFailed(Supplier s, String reasonCode, String reason, int consecutiveFailures, Instant nextAttempt) {
        SupplierSyncEvent e = base(s, Channel.PULL, "pull_failed").setReasonCode(reasonCode)
                .setReason(reason.length() > 2000 ? reason.substring(0, 2000) : reason).setConsecutiveFailures(consecutiveFailures)
                .setNextAttemptAt(nextAttempt.toEpochMilli()).setLagSeconds(-1).build();
        outbox.enqueue(TOPIC_FAILED, s.code, e.getEventType(), e.getEventId(), e);
    }

    private static SupplierSyncEvent.Builder base(Supplier s, Channel channel, String type) {
        return SupplierSyncEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTimestamp(System.currentTimeMillis())
                .setEventType(type).setSupplierCode(s.code).setCategoryCode(s.categoryCode == null ? "" : s.categoryCode)
                .setSyncMode(s.syncMode == null ? "" : s.syncMode).setChannel(channel.wire());
    }
}
