package dev.marketops.batch.ops;

import dev.marketops.batch.intake.BatchIntake;
import dev.marketops.batch.worker.BatchRunner;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingBatchEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * ExcelParseWorker (seed 9.x): takes an uploaded listing sheet from listing.batch.created,
 * reads and validates every row into batch items, then hands the batch to the runner, which
 * creates and submits the tasks chunk by chunk (ListingUploadWorker).
 */
@ApplicationScoped
public class ExcelParseWorker {

    @Inject
    EventConsumer consumer;
    @Inject
    BatchIntake intake;
    @Inject
    BatchRunner runner;

    @Incoming("listing-batch-created")
    @Blocking(ordered = false)
    public void onCreated(ConsumerRecord<String, byte[]> record) throws Exception {
        long batchId = ListingBatchEvent.parseFrom(record.value()).getBatchId();
        // parsing writes its own transaction (long for big sheets); the dedupe is the batch's status (validating -> processing)
        intake.parseStored(batchId);
        consumer.process("excel-parse-worker", record, r -> { });
        runner.submit(batchId);
    }
}
