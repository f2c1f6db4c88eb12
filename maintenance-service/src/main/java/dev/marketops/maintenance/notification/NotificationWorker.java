package dev.marketops.maintenance.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.events.OperationBatchCompletedEvent;
import dev.marketops.proto.events.SupplierSyncEvent;
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
 * notification in that user's inbox; a task the watchdog gave up on (listing.task.escalated) is
 * told to the operators and a supplier whose pulls fail (supplier.sync.failed) to the supplier
 * admins, as a notice of the role (role_notification: each user of the role finds it in their
 * inbox). Every notice is also a pending delivery for every active webhook subscribed to its kind
 * (WebhookDeliverer sends it). A whole poll is applied in one transaction with its dedupe rows,
 * set-based: one statement for the users' rows, one for the roles', one for the deliveries.
 */
@ApplicationScoped
public class NotificationWorker {

    private static final Logger LOG = Logger.getLogger(NotificationWorker.class);
    static final String CONSUMER = "maintenance-notification";
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a user (userId) or everyone of a role (role, userId 0) is told, and what a webhook
     * receives (as JSON). A subject is named by its id, or by its code (subjectRef: a supplier).
     */
    record Notice(long userId, String role, String kind, String title, String body, String subjectType, long subjectId,
                  String subjectRef, String eventId, Instant occurredAt) {

        static Notice toUser(long userId, String kind, String title, String body, String subjectType, long subjectId, String eventId,
                             Instant occurredAt) {
            return new Notice(userId, null, kind, title, body, subjectType, subjectId, null, eventId, occurredAt);
        }

        String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventId", eventId);
            m.put("kind", kind);
            if (role == null) {
                m.put("userId", String.valueOf(userId));
            } else {
                m.put("role", role);
            }
            m.put("subjectType", subjectType);
            m.put("subjectId", subjectRef != null ? subjectRef : String.valueOf(subjectId));
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
                notices.addAll(notices(r));
            }
            store(notices);
        });
    }

    /** The notices an event makes: none when nobody is to be told (no known owner, a failure that is not news). */
    static List<Notice> notices(ConsumerRecord<String, byte[]> r) throws Exception {
        String eventId = EventConsumer.eventId(r);
        return switch (r.topic()) {
            case Kinds.TOPIC_LISTING_REJECTED -> {
                ListingEvent e = ListingEvent.parseFrom(r.value());
                if (e.getOwnerId() == 0) {
                    LOG.debugf("listing %d rejected without a known owner: nobody to notify", e.getTaskId());
                    yield List.of();
                }
                yield List.of(Notice.toUser(e.getOwnerId(), Kinds.LISTING_REJECTED,
                        "Listing rejected: " + e.getTitle(), "Listing task " + e.getTaskCode() + " was rejected.",
                        "listing_task", e.getTaskId(), eventId, Instant.ofEpochMilli(e.getTimestamp())));
            }
            case Kinds.TOPIC_BATCH_COMPLETED -> {
                OperationBatchCompletedEvent e = OperationBatchCompletedEvent.parseFrom(r.value());
                if (e.getCreatedBy() == 0) {
                    yield List.of();
                }
                String body = e.getOperationType() + " batch " + e.getBatchCode() + ": " + e.getStatus() + ", "
                        + e.getSuccessCount() + " of " + e.getTotalCount() + " rows succeeded, " + e.getFailedCount()
                        + " failed, " + e.getSkippedCount() + " skipped"
                        + (e.getErrorSummary().isEmpty() ? "" : " (" + e.getErrorSummary() + ")");
                yield List.of(Notice.toUser(e.getCreatedBy(), Kinds.batchKind(e.getStatus()), "Batch " + e.getBatchCode() + " " + e.getStatus(),
                        body, "operation_batch", e.getBatchId(), eventId, Instant.ofEpochMilli(e.getTimestamp())));
            }
            case Kinds.TOPIC_LISTING_ESCALATED -> {
                ListingEvent e = ListingEvent.parseFrom(r.value());
                String title = "Listing task " + e.getTaskCode() + " stuck: " + e.getSubStatus();
                String body = "Listing task " + e.getTaskCode() + " (" + e.getTitle() + ", category " + e.getCategoryId() + ") was given up by "
                        + "the watchdog: " + e.getReason() + ". It needs someone to look at it.";
                yield Kinds.ESCALATION_ROLES.stream().map(role -> new Notice(0, role, Kinds.LISTING_ESCALATED, title, body, "listing_task",
                        e.getTaskId(), null, eventId, Instant.ofEpochMilli(e.getTimestamp()))).toList();
            }
            case Kinds.TOPIC_SUPPLIER_SYNC_FAILED -> {
                SupplierSyncEvent e = SupplierSyncEvent.parseFrom(r.value());
                if (!Kinds.SUPPLIER_FAILURES_TOLD.contains(e.getConsecutiveFailures())) {
                    yield List.of();
                }
                String title = "Supplier " + e.getSupplierCode() + " sync failing: " + e.getReasonCode();
                String body = "The " + e.getChannel() + " of supplier " + e.getSupplierCode() + " (" + e.getCategoryCode() + ") failed "
                        + e.getConsecutiveFailures() + (e.getConsecutiveFailures() == 1 ? " time" : " times in a row") + ": "
                        + e.getReason() + ". Next attempt at " + Instant.ofEpochMilli(e.getNextAttemptAt()) + ".";
                yield Kinds.SUPPLIER_ROLES.stream().map(role -> new Notice(0, role, Kinds.SUPPLIER_SYNC_FAILED, title, body, "supplier",
                        0, e.getSupplierCode(), eventId, Instant.ofEpochMilli(e.getTimestamp()))).toList();
            }
            default -> List.of();
        };
    }

    private void store(List<Notice> notices) throws Exception {
        if (notices.isEmpty()) {
            return;
        }
        List<Notice> personal = notices.stream().filter(x -> x.role() == null).toList();
        List<Notice> ofRoles = notices.stream().filter(x -> x.role() != null).toList();
        try (Connection c = ds.getConnection()) {
            if (!personal.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO notification (user_id, kind, title, body, subject_type, subject_id, event_id)
                        SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[])
                        ON CONFLICT (event_id, user_id) DO NOTHING""")) {
                    ps.setArray(1, c.createArrayOf("bigint", personal.stream().map(Notice::userId).toArray()));
                    bindContent(c, ps, 2, personal);
                    ps.executeUpdate();
                }
            }
            if (!ofRoles.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO role_notification (role, kind, title, body, subject_type, subject_id, event_id, subject_ref)
                        SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                        ON CONFLICT (event_id, role) DO NOTHING""")) {
                    ps.setArray(1, c.createArrayOf("text", ofRoles.stream().map(Notice::role).toArray()));
                    bindContent(c, ps, 2, ofRoles);
                    ps.setArray(8, c.createArrayOf("text", ofRoles.stream().map(Notice::subjectRef).toArray()));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO webhook_delivery (subscription_id, event_id, kind, body)
                    SELECT s.id, e.event_id, e.kind, e.body
                      FROM unnest(?::text[], ?::text[], ?::text[]) AS e(event_id, kind, body)
                      JOIN webhook_subscription s ON s.active AND e.kind = ANY (s.kinds)
                    ON CONFLICT (subscription_id, event_id) DO NOTHING""")) {
                ps.setArray(1, c.createArrayOf("text", notices.stream().map(Notice::eventId).toArray()));
                ps.setArray(2, c.createArrayOf("text", notices.stream().map(Notice::kind).toArray()));
                ps.setArray(3, c.createArrayOf("text", notices.stream().map(Notice::json).toArray()));
                ps.executeUpdate();
            }
        }
    }

    /** kind, title, body, subject type, subject id, event id as arrays from parameter {@code from} on. */
    private static void bindContent(Connection c, PreparedStatement ps, int from, List<Notice> notices) throws java.sql.SQLException {
        ps.setArray(from, c.createArrayOf("text", notices.stream().map(Notice::kind).toArray()));
        ps.setArray(from + 1, c.createArrayOf("text", notices.stream()
                .map(x -> x.title().length() > 300 ? x.title().substring(0, 300) : x.title()).toArray()));
        ps.setArray(from + 2, c.createArrayOf("text", notices.stream().map(Notice::body).toArray()));
        ps.setArray(from + 3, c.createArrayOf("text", notices.stream().map(Notice::subjectType).toArray()));
        ps.setArray(from + 4, c.createArrayOf("bigint", notices.stream().map(Notice::subjectId).toArray()));
        ps.setArray(from + 5, c.createArrayOf("text", notices.stream().map(Notice::eventId).toArray()));
    }
}
