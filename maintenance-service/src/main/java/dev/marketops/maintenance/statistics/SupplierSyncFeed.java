package dev.marketops.maintenance.statistics;

import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.SupplierSyncEvent;
import io.agroal.api.AgroalDataSource;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The supplier sync figures as supplier-sync-service announces them (supplier.sync.applied per
 * page, supplier.sync.failed per stopped pull): summed into supplier_sync_hour by the hour of the
 * event, supplier and channel, a poll at a time in one set-based upsert that commits with the
 * poll's dedupe rows (a redelivered event is not counted twice). BusinessStatistics reads the sums.
 */
@ApplicationScoped
public class SupplierSyncFeed {

    static final String CONSUMER = "maintenance-supplier-statistics";

    /** One hour's sums of one supplier and channel. */
    private static final class Sums {
        final Instant hour;
        final String supplier;
        final String category;
        final String channel;
        long pages;
        long received;
        long applied;
        long ignored;
        long failed;
        long failedPulls;
        long lagPages;
        double lagSum;
        double lagMax;

        Sums(Instant hour, String supplier, String category, String channel) {
            this.hour = hour;
            this.supplier = supplier;
            this.category = category;
            this.channel = channel;
        }

        void add(SupplierSyncEvent e) {
            if ("pull_failed".equals(e.getEventType())) {
                failedPulls++;
                return;
            }
            pages++;
            received += e.getReceivedCount();
            applied += e.getAppliedCount();
            ignored += e.getIgnoredCount();
            failed += e.getFailedCount();
            if (e.getLagSeconds() >= 0) {
                lagPages++;
                lagSum += e.getLagSeconds();
                lagMax = Math.max(lagMax, e.getLagSeconds());
            }
        }
    }

    @Inject
    EventConsumer consumer;
    @Inject
    AgroalDataSource ds;

    @Incoming("supplier-sync-figures")
    @Blocking(ordered = true)
    public void onEvents(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        consumer.processAll(CONSUMER, list, fresh -> {
            Map<String, Sums> sums = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> r : fresh) {
                SupplierSyncEvent e = SupplierSyncEvent.parseFrom(r.value());
                Instant hour = Instant.ofEpochMilli(e.getTimestamp()).truncatedTo(ChronoUnit.HOURS);
                sums.computeIfAbsent(hour + "|" + e.getSupplierCode() + "|" + e.getChannel(),
                        k -> new Sums(hour, e.getSupplierCode(), e.getCategoryCode(), e.getChannel())).add(e);
            }
            store(new ArrayList<>(sums.values()));
        });
    }

    private void store(List<Sums> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO supplier_sync_hour (hour, supplier_code, category_code, channel, pages, received, applied, ignored, failed,
                                                failed_pulls, lag_pages, lag_sum, lag_max)
                SELECT * FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
                                     ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[])
                ON CONFLICT (hour, supplier_code, channel) DO UPDATE SET
                    category_code = excluded.category_code,
                    pages = supplier_sync_hour.pages + excluded.pages,
                    received = supplier_sync_hour.received + excluded.received,
                    applied = supplier_sync_hour.applied + excluded.applied,
                    ignored = supplier_sync_hour.ignored + excluded.ignored,
                    failed = supplier_sync_hour.failed + excluded.failed,
                    failed_pulls = supplier_sync_hour.failed_pulls + excluded.failed_pulls,
                    lag_pages = supplier_sync_hour.lag_pages + excluded.lag_pages,
                    lag_sum = supplier_sync_hour.lag_sum + excluded.lag_sum,
                    lag_max = greatest(supplier_sync_hour.lag_max, excluded.lag_max)""")) {
            ps.setArray(1, c.createArrayOf("timestamptz", rows.stream().map(r -> Timestamp.from(r.hour)).toArray()));
            ps.setArray(2, c.createArrayOf("text", rows.stream().map(r -> r.supplier).toArray()));
            ps.setArray(3, c.createArrayOf("text", rows.stream().map(r -> r.category).toArray()));
            ps.setArray(4, c.createArrayOf("text", rows.stream().map(r -> r.channel).toArray()));
            ps.setArray(5, c.createArrayOf("bigint", rows.stream().map(r -> r.pages).toArray()));
            ps.setArray(6, c.createArrayOf("bigint", rows.stream().map(r -> r.received).toArray()));
            ps.setArray(7, c.createArrayOf("bigint", rows.stream().map(r -> r.applied).toArray()));
            ps.setArray(8, c.createArrayOf("bigint", rows.stream().map(r -> r.ignored).toArray()));
            ps.setArray(9, c.createArrayOf("bigint", rows.stream().map(r -> r.failed).toArray()));
            ps.setArray(10, c.createArrayOf("bigint", rows.stream().map(r -> r.failedPulls).toArray()));
            ps.setArray(11, c.createArrayOf("bigint", rows.stream().map(r -> r.lagPages).toArray()));
            ps.setArray(12, c.createArrayOf("float8", rows.stream().map(r -> r.lagSum).toArray()));
            ps.setArray(13, c.createArrayOf("float8", rows.stream().map(r -> r.lagMax).toArray()));
            ps.executeUpdate();
        }
    }
}
