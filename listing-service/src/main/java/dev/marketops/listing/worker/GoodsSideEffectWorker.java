package dev.marketops.listing.worker;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.marketops.listing.catalogue.GoodsSideEffects;
import dev.marketops.listing.catalogue.domain.GoodsSideEffectRules;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.GoodsStatusChangedEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies the side effects of each goods status change (seed 004), effectively once per event,
 * a poll at a time: the dedupe rows and effects of a poll commit in one transaction. Most
 * changes (online, audit states) have no effect and are passed over without one: a listing
 * import of 10,000 rows used to commit 10,000 transactions here, one per ONLINE event.
 */
@ApplicationScoped
public class GoodsSideEffectWorker {

    static final String CONSUMER = "listing-goods-side-effects";

    @Inject
    EventConsumer consumer;
    @Inject
    GoodsSideEffects effects;

    // Effects only remove links or cancel presale, so events of different items need no order.
    @Incoming("goods-status-changed")
    @Blocking(value = "side-effect-pool", ordered = false)
    public void onStatusChanged(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> withEffects = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                if (GoodsSideEffectRules.mayHaveEffects(GoodsStatusChangedEvent.parseFrom(r.value()).getToStatus())) {
                    withEffects.add(r);
                }
            } catch (InvalidProtocolBufferException e) {
                withEffects.add(r); // fails in the handler: retried, then dead-lettered with its poll
            }
        }
        consumer.processAll(CONSUMER, withEffects, fresh -> {
            for (ConsumerRecord<String, byte[]> r : fresh) {
                effects.apply(EventConsumer.eventId(r), GoodsStatusChangedEvent.parseFrom(r.value()));
            }
        });
    }
}
