package dev.marketops.publish.worker;

import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.publish.runner.SagaRun;
import dev.marketops.publish.runner.SagaStarter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * PublishWorker (main seed 5.6 / 9.7): each approved task on listing.publish.ready gets one
 * publish saga. The saga row is written in the same transaction as the event's dedupe row; the
 * saga itself runs on a saga runner thread after commit, not on the consumer thread.
 */
@ApplicationScoped
public class PublishWorker {

    static final String CONSUMER = "publish-worker";

    @Inject
    EventConsumer consumer;
    @Inject
    SagaStarter sagas;

    @Incoming("publish-ready")
    @Blocking(value = "publish-worker-pool", ordered = false)
    public void onApproved(ConsumerRecord<String, byte[]> record) {
        List<SagaRun> created = new ArrayList<>();
        consumer.process(CONSUMER, record, r -> {
            created.clear(); // a retried attempt starts over; only the committed attempt's sagas run
            ListingEvent e = ListingEvent.parseFrom(r.value());
            created.addAll(sagas.create(List.of(e.getTaskId()), e.getBatchId() == 0 ? null : e.getBatchId()));
        });
        sagas.run(created);
    }
}
