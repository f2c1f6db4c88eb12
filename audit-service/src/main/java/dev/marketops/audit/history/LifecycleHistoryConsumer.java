package dev.marketops.audit.history;

import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.config.Category;
import dev.marketops.proto.events.ListingEvent;
import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

    @Inject
    AgroalDataSource ds;

    // Whole polls, one transaction and one multi-row INSERT each: a 10,000-row upload makes some
    // 50,000 lifecycle events, which one transaction per event turned into minutes of catching up,
    // and one entity per event into the largest CPU cost of audit-service (JFR: 15% of its samples).
    @Incoming("listing-lifecycle")
    @Blocking
    public void onEvents(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        consumer.processAll(CONSUMER, list, fresh -> {
            List<ListingEvent> events = new ArrayList<>(fresh.size());
            List<String> eventIds = new ArrayList<>(fresh.size());
            for (ConsumerRecord<String, byte[]> r : fresh) {
                ListingEvent e = ListingEvent.parseFrom(r.value());
                events.add(e);
                eventIds.add(e.getEventId().isEmpty() ? EventConsumer.eventId(r) : e.getEventId());
            }
            record(events, eventIds);
        });
    }

    /** One row per event; an event id already recorded is left as it is. */
    void record(List<ListingEvent> events, List<String> eventIds) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        Object[] taskIds = new Object[n], codes = new Object[n], types = new Object[n], categoryIds = new Object[n],
                names = new Object[n], sources = new Object[n], from = new Object[n], to = new Object[n],
                actions = new Object[n], times = new Object[n];
        for (int i = 0; i < n; i++) {
            ListingEvent e = events.get(i);
            taskIds[i] = e.getTaskId();
            codes[i] = e.getTaskCode();
            types[i] = e.getEventType();
            categoryIds[i] = e.getCategoryId();
            names[i] = categories.find(e.getCategoryId()).map(Category::getName).orElse(null);
            sources[i] = e.getSourceType();
            from[i] = e.getFromStatus() < 0 ? null : (short) e.getFromStatus();
            to[i] = (short) e.getToStatus();
            actions[i] = e.getAction();
            times[i] = e.getTimestamp();
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO listing_event_record (event_id, task_id, task_code, event_type, category_id, category_name,
                    source_type, from_status, to_status, action, event_time)
                SELECT e, t, code, type, cat, name, src, f, s, act, to_timestamp(ms / 1000.0)
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[],
                    ?::varchar[], ?::smallint[], ?::smallint[], ?::varchar[], ?::bigint[])
                    AS u(e, t, code, type, cat, name, src, f, s, act, ms)
                ON CONFLICT (event_id) DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("varchar", eventIds.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", taskIds));
            ps.setArray(3, c.createArrayOf("varchar", codes));
            ps.setArray(4, c.createArrayOf("varchar", types));
            ps.setArray(5, c.createArrayOf("bigint", categoryIds));
            ps.setArray(6, c.createArrayOf("varchar", names));
            ps.setArray(7, c.createArrayOf("varchar", sources));
            ps.setArray(8, c.createArrayOf("smallint", from));
            ps.setArray(9, c.createArrayOf("smallint", to));
            ps.setArray(10, c.createArrayOf("varchar", actions));
            ps.setArray(11, c.createArrayOf("bigint", times));
            ps.executeUpdate();
        }
    }
}
