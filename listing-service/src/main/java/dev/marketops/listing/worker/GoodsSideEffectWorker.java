package dev.marketops.listing.worker;

import dev.marketops.listing.catalogue.GoodsSideEffects;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.GoodsStatusChangedEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Applies the side effects of each goods status change (seed 004), effectively once per event. */
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
    public void onStatusChanged(ConsumerRecord<String, byte[]> record) {
        consumer.process(CONSUMER, record, r -> effects.apply(EventConsumer.eventId(r), GoodsStatusChangedEvent.parseFrom(r.value())));
    }
}
