package dev.marketops.audit.worker;

import dev.marketops.audit.batch.GroupAuditor;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * AuditWorker (main seed 9.x): takes the submitted listings of listing.audit.pending a poll at a
 * time and decides them with the {@link GroupAuditor}: each by the strategy of its (category,
 * source type, source user type), for the version it was submitted at. A lone submission is a
 * group of one and is decided at once; a burst (a supplier pull, many merchants at once) is read
 * with one call and moved with a few, instead of two gRPC calls and a transaction per task.
 * Every decision is logged; the tasks move through listing-service's gRPC commands.
 */
@ApplicationScoped
public class AuditWorker {

    static final String CONSUMER = "audit-worker";

    @Inject
    EventConsumer consumer;
    @Inject
    GroupAuditor auditor;
    @Inject
    MeterRegistry meters;

    // Polls are independent decisions, so they are processed concurrently (SmallRye's throttled
    // commit still commits offsets only below the oldest one in flight).
    @Incoming("audit-pending")
    @Blocking(value = "audit-worker-pool", ordered = false)
    public void onSubmitted(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> submissions = new ArrayList<>(records.count());
        Map<ConsumerRecord<String, byte[]>, GroupAuditor.Submission> read = new IdentityHashMap<>();
        List<ConsumerRecord<String, byte[]>> unreadable = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            ListingEvent e = readable(r);
            if (e == null) {
                unreadable.add(r);
            } else if (e.getBatchId() != 0) {
                // Tasks of an upload are audited a chunk at a time by BatchAuditWorker
                // (listing.batch.parsed); deciding them here too would race it. Skipped before any
                // database work (listing-service no longer sends these; older events may remain).
                meters.counter("marketops_audit_skipped_total", "reason", "batch_upload").increment();
            } else {
                submissions.add(r);
                read.put(r, new GroupAuditor.Submission(e.getTaskId(), e.getVersion()));
            }
        }
        consumer.processAll(CONSUMER, submissions, fresh -> auditor.audit(fresh.stream().map(read::get).toList(), 0));
        for (ConsumerRecord<String, byte[]> r : unreadable) {
            // parsed again inside, so it fails there: retried, then the poll goes to the dead-letter
            // topic (its other records are applied already and are duplicates when replayed)
            consumer.process(CONSUMER, r, x -> ListingEvent.parseFrom(x.value()));
        }
    }

    private static ListingEvent readable(ConsumerRecord<String, byte[]> record) {
        try {
            return ListingEvent.parseFrom(record.value());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return null;
        }
    }
}
