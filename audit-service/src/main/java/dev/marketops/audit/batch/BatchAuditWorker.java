package dev.marketops.audit.batch;

import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingBatchEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * BatchAuditWorker (main seed 9.1.x): audits a chunk of an upload's tasks (listing.batch.parsed,
 * at most 1,000 task ids) in one pass of the {@link GroupAuditor}. Approving with the batch id
 * makes listing-service announce the approved chunk on listing.batch.audited for
 * BatchPublishWorker.
 */
@ApplicationScoped
public class BatchAuditWorker {

    private static final Logger LOG = Logger.getLogger(BatchAuditWorker.class);
    static final String CONSUMER = "batch-audit-worker";

    @Inject
    EventConsumer consumer;
    @Inject
    GroupAuditor auditor;

    @Incoming("batch-parsed")
    @Blocking(value = "batch-audit-pool", ordered = false)
    public void onParsed(ConsumerRecord<String, byte[]> record) {
        consumer.process(CONSUMER, record, r -> {
            long started = System.nanoTime();
            ListingBatchEvent e = ListingBatchEvent.parseFrom(r.value());
            int decided = auditor.audit(e.getTaskIdsList().stream().map(id -> new GroupAuditor.Submission(id, null)).toList(),
                    e.getBatchId());
            LOG.infof("batch %d chunk %d/%d: %d tasks audited in %d ms", e.getBatchId(), e.getChunkNo(), e.getChunkCount(),
                    decided, (System.nanoTime() - started) / 1_000_000);
        });
    }
}
