package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.worker.BatchRunner;
import dev.marketops.batch.worker.BatchState;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingEvent;
import io.agroal.api.AgroalDataSource;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Finishes listing-upload items: listing.published (the task is ONLINE) succeeds it,
 * listing.rejected fails it. A whole poll is applied at once: per batch one UPDATE of its
 * items and one of its counters row. (One event at a time, every outcome of a 10,000-row
 * upload updated the same counters row: ~60 outcomes/s, measured.)
 */
@ApplicationScoped
public class ListingOutcomeListener {

    static final String CONSUMER = "batch-listing-outcomes";

    @Inject
    EventConsumer consumer;
    @Inject
    AgroalDataSource ds;
    @Inject
    BatchRunner runner;

    record Outcome(long taskId, boolean ok, String afterJson) {
    }

    @Incoming("listing-outcomes")
    @Blocking(ordered = true)
    public void onOutcomes(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        Set<Long> touched = new TreeSet<>();
        consumer.processAll(CONSUMER, list, fresh -> {
            touched.clear(); // a retried poll starts over
            Map<Long, Map<Long, Outcome>> byBatch = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> r : fresh) {
                ListingEvent e = ListingEvent.parseFrom(r.value());
                if (e.getBatchId() == 0) {
                    continue;
                }
                boolean ok = "listing.published".equals(r.topic());
                byBatch.computeIfAbsent(e.getBatchId(), k -> new LinkedHashMap<>()).put(e.getTaskId(), new Outcome(e.getTaskId(), ok,
                        ok ? Json.write(Map.of("task_id", e.getTaskId(), "item_id", e.getItemId(), "status", "online")) : null));
            }
            try (Connection c = ds.getConnection()) {
                for (Map.Entry<Long, Map<Long, Outcome>> b : byBatch.entrySet()) {
                    if (apply(c, b.getKey(), b.getValue().values()) > 0) {
                        touched.add(b.getKey());
                    }
                }
            }
        });
        touched.forEach(runner::finishIfDone);
    }

    /** The batch's awaiting items of these tasks finish; its counters move by as many, in one statement each. */
    static int apply(Connection c, long batchId, java.util.Collection<Outcome> outcomes) throws Exception {
        Optional<BatchState> b = BatchState.load(c, batchId);
        if (b.isEmpty()) {
            return 0;
        }
        Long[] tasks = new Long[outcomes.size()];
        Boolean[] oks = new Boolean[outcomes.size()];
        String[] afters = new String[outcomes.size()];
        int k = 0;
        for (Outcome o : outcomes) {
            tasks[k] = o.taskId();
            oks[k] = o.ok();
            afters[k++] = o.afterJson();
        }
        int succeeded = 0, failed = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item i SET status = CASE WHEN o.ok THEN 'succeeded' ELSE 'failed' END,
                       after_value = coalesce(o.after::jsonb, i.after_value),
                       error_code = CASE WHEN o.ok THEN NULL ELSE 'REJECTED' END,
                       error_message = CASE WHEN o.ok THEN NULL ELSE 'the listing was rejected in audit' END,
                       lease_until = NULL, updated_at = now()
                FROM unnest(?::bigint[], ?::boolean[], ?::text[]) AS o(task_id, ok, after)
                WHERE i.batch_id = ? AND i.created_at = ? AND i.target_id = o.task_id AND i.status = 'processing'
                  AND i.target_id BETWEEN ? AND ?
                RETURNING o.ok""")) {
            ps.setArray(1, c.createArrayOf("int8", tasks));
            ps.setArray(2, c.createArrayOf("bool", oks));
            ps.setArray(3, c.createArrayOf("text", afters));
            ps.setLong(4, batchId);
            ps.setObject(5, b.get().createdAt());
            // the range as well: without statistics the planner otherwise hashes the outcomes and
            // reads the whole batch for each poll (see BatchItems.claim)
            ps.setLong(6, java.util.Arrays.stream(tasks).mapToLong(Long::longValue).min().orElse(0));
            ps.setLong(7, java.util.Arrays.stream(tasks).mapToLong(Long::longValue).max().orElse(-1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        succeeded++;
                    } else {
                        failed++;
                    }
                }
            }
        }
        int n = succeeded + failed;
        if (n == 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_task SET success_count = success_count + ?, failed_count = failed_count + ?,
                       applied_count = applied_count + ?, processing_count = greatest(0, processing_count - ?),
                       progress = CASE WHEN total_count = 0 THEN 0
                                       ELSE least(99, (success_count + failed_count + skipped_count + ?) * 100 / total_count) END,
                       updated_at = now()
                WHERE batch_id = ?""")) {
            ps.setInt(1, succeeded);
            ps.setInt(2, failed);
            ps.setInt(3, n);
            ps.setInt(4, n);
            ps.setInt(5, n);
            ps.setLong(6, batchId);
            ps.executeUpdate();
        }
        return n;
    }
}
