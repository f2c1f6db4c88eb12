package dev.marketops.listing.worker;

import dev.marketops.listing.catalogue.ShopStatusService;
import dev.marketops.proto.events.ShopStatusRequestedEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Expands each shop-level status request into goods-level chunks (seed 004 note 4). The
 * request row is the idempotency record: a redelivered request continues from its stored
 * cursor, a finished one does nothing.
 */
@ApplicationScoped
public class ShopStatusWorker {

    @Inject
    ShopStatusService shops;

    @Incoming("shop-status-requested")
    @Blocking(ordered = false)
    public void onRequested(ConsumerRecord<String, byte[]> record) throws Exception {
        shops.expand(ShopStatusRequestedEvent.parseFrom(record.value()).getRequestId());
    }
}
