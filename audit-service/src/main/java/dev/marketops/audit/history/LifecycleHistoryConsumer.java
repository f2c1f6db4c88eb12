package dev.marketops.audit.history;

import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.config.Category;
import dev.marketops.proto.events.ListingEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every ListingEvent of listing.lifecycle once (a redelivery has no second effect),
 * naming the category through config-service. A category config-service does not know is
 * recorded without a name; config-service being down fails the event, which is retried and
 * then dead-lettered, never lost.
 */
@ApplicationScoped
public class LifecycleHistoryConsumer {

    static final String CONSUMER = "audit-lifecycle-history";

    @Inject
    EventConsumer consumer;
    @Inject
    CategoryDirectory categories;

    // Whole polls, one transaction each: a 10,000-row upload makes some 50,000 lifecycle events,
    // which one transaction per event turned into minutes of catching up.
    @Incoming("listing-lifecycle")
    @Blocking
    public void onEvents(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        consumer.processAll(CONSUMER, list, fresh -> {
            for (ConsumerRecord<String, byte[]> r : fresh) {
                record(ListingEvent.parseFrom(r.value()), EventConsumer.eventId(r));
            }
        });
    }

    void record(ListingEvent e, String eventId) {
        ListingEventRecord row = new ListingEventRecord();
        row.eventId = e.getEventId().isEmpty() ? eventId : e.getEventId();
        row.taskId = e.getTaskId();
        row.taskCode = e.getTaskCode();
        row.eventType = e.getEventType();
        row.categoryId = e.getCategoryId();
        row.categoryName = categories.find(e.getCategoryId()).map(Category::getName).orElse(null);
        row.sourceType = e.getSourceType();
        row.fromStatus = e.getFromStatus() < 0 ? null : e.getFromStatus();
        row.toStatus = e.getToStatus();
        row.action = e.getAction();
        row.eventTime = Instant.ofEpochMilli(e.getTimestamp()).atOffset(ZoneOffset.UTC);
        row.persist();
    }
}
