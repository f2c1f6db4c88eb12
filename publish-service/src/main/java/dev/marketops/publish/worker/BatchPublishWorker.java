package dev.marketops.publish.worker;

import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingBatchEvent;
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
 * BatchPublishWorker (main seed 9.7): a chunk of approved tasks of one batch (listing.batch.audited,
 * at most 1,000 ids) becomes one saga per task, created with one statement, and runs as one group:
 * each step is one catalogue call per sub-chunk for all of them.
 */
@ApplicationScoped
public class BatchPublishWorker {

    static final String CONSUMER = "batch-publish-worker";

    @Inject
    EventConsumer consumer;
    @Inject
    SagaStarter sagas;

    @Incoming("batch-audited")
    @Blocking(value = "batch-publish-pool", ordered = false)
    public void onBatchApproved(ConsumerRecord<String, byte[]> record) {
        List<SagaRun> created = new ArrayList<>();
        consumer.process(CONSUMER, record, r -> {
            created.clear();
            ListingBatchEvent e = ListingBatchEvent.parseFrom(r.value());
            if ("audited".equals(e.getEventType()) || e.getEventType().isEmpty()) {
                created.addAll(sagas.create(e.getTaskIdsList(), e.getBatchId() == 0 ? null : e.getBatchId()));
            }
        });
        sagas.run(created);
    }
}
