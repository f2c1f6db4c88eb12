package dev.marketops.batch.worker;

import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.OperationBatchCreatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** operation.batch.created -> the worker of the batch's operation_type (via the runner). */
@ApplicationScoped
public class BatchRouter {

    static final String CONSUMER = "batch-router";

    @Inject
    EventConsumer consumer;
    @Inject
    BatchRunner runner;

    @Incoming("batch-created")
    @Blocking(ordered = false)
    public void onCreated(ConsumerRecord<String, byte[]> record) {
        consumer.process(CONSUMER, record, r -> runner.submit(OperationBatchCreatedEvent.parseFrom(r.value()).getBatchId()));
    }
}
