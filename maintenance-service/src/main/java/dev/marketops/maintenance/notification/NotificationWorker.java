package dev.marketops.maintenance.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.events.OperationBatchCompletedEvent;
import io.agroal.api.AgroalDataSource;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Tells people what happened to their work: a rejected listing (listing.rejected, to the task's
 * creator) and a finished batch (operation.batch.completed, to whoever started it) become a
 * notification in that user's inbox and, for every active webhook subscribed to the kind, a
 * pending delivery (WebhookDeliverer sends it). A whole poll is applied in one transaction with
 * its dedupe rows, set-based: one statement for the inbox rows, one for the deliveries.
 */
@ApplicationScoped
public class NotificationWorker {

    private static final Logger LOG = Logger.getLogger(NotificationWorker.class);
    static final String CONSUMER = "maintenance-notification";
    static final ObjectMapper JSON = new ObjectMapper();

    /** What a user is told, and what a webhook receives (as JSON). */
    record Notice(long userId, String kind, String title, String body, String subjectType, long subjectId, String eventId,
                  Instant occurredAt) {

        String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventId", eventId);
            m.put("kind", kind);
            m.put("userId", String.valueOf(userId));
            m.put("subjectType", subjectType);
            m.put("subjectId", String.valueOf(subjectId));
            m.put("title", title);
            m.put("body", body);
            m.put("occurredAt", occurredAt.toString());
            try {
                return JSON.writeValueAsString(m);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    EventConsumer consumer;
    @Inject
    AgroalDataSource ds;

    @Incoming("notifications")
    @Blocking(ordered = true)
    public void onEvents(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        consumer.processAll(CONSUMER, list, fresh -> {
            List<Notice> notices = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : fresh) {
                Notice n = notice(r);
                if (n != null) {
                    notices.add(n);
                }
            }
            store(notices);
        });
    }

    /** The notice an event makes, or null when nobody is to be told (no known owner). */
    static Notice notice(ConsumerRecord<String, byte[]> r) throws Exception {
        String eventId = EventConsumer.eventId(r);
        return switch (r.topic()) {
            case Kinds.TOPIC_LISTING_REJECTED -> {
                ListingEvent e = ListingEvent.parseFrom(r.value());
                if (e.getOwnerId() == 0) {
                    LOG.debugf("listing %d rejected without a known owner: nobody to notify", e.getTaskId());
                    yield null;
                }
                yield new Notice(e.getOwnerId(), Kinds.LISTING_REJECTED,
                        "Listing rejected: " + e.getTitle(), "Listing task " + e.getTaskCode() + " was rejected.",
                        "listing_task", e.getTaskId(), eventId, Instant.ofEpochMilli(e.getTimestamp()));
            }
            case Kinds.TOPIC_BATCH_COMPLETED -> {
                OperationBatchCompletedEvent e = OperationBatchCompletedEvent.parseFrom(r.value());
                if (e.getCreatedBy() == 0) {
                    yield null;
                }
                String body = e.getOperationType() + " batch " + e.getBatchCode() + ": " + e.getStatus() + ", "
                        + e.getSuccessCount() + " of " + e.getTotalCount() + " rows succeeded, " + e.getFailedCount()
                        + " failed, " + e.getSkippedCount() + " skipped"
                        + (e.getErrorSummary().isEmpty() ? "" : " (" + e.getErrorSummary() + ")");
                yield new Notice(e.getCreatedBy(), Kinds.batchKind(e.getStatus()), "Batch " + e.getBatchCode() + " " + e.getStatus(),
                        body, "operation_batch", e.getBatchId(), eventId, Instant.ofEpochMilli(e.getTimestamp()));
            }
            default -> null;
        };
    }

    private void store(List<Notice> notices) throws Exception {
        if (notices.isEmpty()) {
            return;
        }
        int n = notices.size();
        Long[] users = new Long[n];
        String[] kinds = new String[n];
        String[] titles = new String[n];
        String[] bodies = new String[n];
        String[] subjectTypes = new String[n];
        Long[] subjects = new Long[n];
        String[] events = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Notice x = notices.get(i);
            users[i] = x.userId();
            kinds[i] = x.kind();
            titles[i] = x.title().length() > 300 ? x.title().substring(0, 300) : x.title();
            bodies[i] = x.body();
            subjectTypes[i] = x.subjectType();
            subjects[i] = x.subjectId();
            events[i] = x.eventId();
            payloads[i] = x.json();
        }
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO notification (user_id, kind, title, body, subject_type, subject_id, event_id)
                    SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[])
                    ON CONFLICT (event_id, user_id) DO NOTHING""")) {
                ps.setArray(1, c.createArrayOf("bigint", users));
                ps.setArray(2, c.createArrayOf("text", kinds));
                ps.setArray(3, c.createArrayOf("text", titles));
                ps.setArray(4, c.createArrayOf("text", bodies));
                ps.setArray(5, c.createArrayOf("text", subjectTypes));
                ps.setArray(6, c.createArrayOf("bigint", subjects));
                ps.setArray(7, c.createArrayOf("text", events));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO webhook_delivery (subscription_id, event_id, kind, body)
                    SELECT s.id, e.event_id, e.kind, e.body
                      FROM unnest(?::text[], ?::text[], ?::text[]) AS e(event_id, kind, body)
                      JOIN webhook_subscription s ON s.active AND e.kind = ANY (s.kinds)
                    ON CONFLICT (subscription_id, event_id) DO NOTHING""")) {
                ps.setArray(1, c.createArrayOf("text", events));
                ps.setArray(2, c.createArrayOf("text", kinds));
                ps.setArray(3, c.createArrayOf("text", payloads));
                ps.executeUpdate();
            }
        }
    }
}
