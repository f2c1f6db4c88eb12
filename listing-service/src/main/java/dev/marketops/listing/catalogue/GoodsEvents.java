package dev.marketops.listing.catalogue;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.events.GoodsStatusChangedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One GoodsStatusChangedEvent per changed item, written to the outbox with the change (seed 004). */
@ApplicationScoped
public class GoodsEvents {

    public record Change(long itemId, long shopId, long categoryId, String from, String to, long version) {
    }

    @Inject
    Outbox outbox;

    public void enqueue(List<Change> changes, String operatorType, long operatorId, String reason, String requestId) {
        if (changes.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Outbox.Message> messages = new ArrayList<>(changes.size());
        for (Change c : changes) {
            GoodsStatusChangedEvent e = GoodsStatusChangedEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setTimestamp(now).setItemId(c.itemId()).setShopId(c.shopId()).setCategoryId(c.categoryId())
                    .setFromStatus(c.from()).setToStatus(c.to()).setItemVersion(c.version())
                    .setOperatorType(operatorType == null ? "" : operatorType).setOperatorId(operatorId)
                    .setReason(reason == null ? "" : reason).setRequestId(requestId == null ? "" : requestId).build();
            messages.add(new Outbox.Message(CatalogueTopics.GOODS_STATUS_CHANGED, Long.toString(c.itemId()), "status_changed",
                    e.getEventId(), e));
        }
        outbox.enqueueAll(messages);
    }
}
