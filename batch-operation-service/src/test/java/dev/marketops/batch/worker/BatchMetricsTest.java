package dev.marketops.batch.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.marketops.batch.metrics.BatchMetrics;
import dev.marketops.platform.testing.Scrape;
import io.agroal.api.AgroalDataSource;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The batch metrics of main seed 8.2 as Prometheus scrapes them (names after Micrometer's suffix
 * rules, labels), present from startup, and following the batches: a price batch processing for
 * 40 minutes shows as the oldest processing batch with its rows queued for the price worker, and a
 * finished inventory batch counts once with its duration. The price worker is off here (the profile
 * of BatchWorkerSwitchTest), so the sweeper leaves the price batch alone while it is read. Another
 * replica on the same database (a fleet started on the test database, a second test JVM) may take a
 * batch first: the case is then skipped, not failed, as the metric is that replica's.
 */
@QuarkusTest
@TestProfile(BatchWorkerSwitchTest.PriceWorkerOff.class)
class BatchMetricsTest {

    @Inject
    PrometheusMeterRegistry prometheus;
    @Inject
    BatchMetrics metrics;
    @Inject
    BatchRunner runner;
    @Inject
    AgroalDataSource ds;

    @Test
    void everySeedSeriesIsThereFromStartupWithTheSeedsLabels() {
        Scrape s = Scrape.parse(prometheus.scrape());
        assertEquals(Set.of("operation_type", "status"), s.labelNames("operation_batch_task_total"));
        assertEquals(1, s.find("operation_batch_task_total", "operation_type", "price_adjust", "status", "processing").size());
        assertEquals(1, s.find("operation_batch_task_total", "operation_type", "voucher_code_import", "status", "failed").size());
        assertEquals(Set.of("operation_type"), s.labelNames("operation_batch_task_duration_seconds_count"));
        assertEquals(Set.of("operation_type", "status"), s.labelNames("operation_batch_item_total"));
        assertEquals(1, s.find("operation_batch_item_total", "operation_type", "item_edit", "status", "success").size());
        assertEquals(Set.of("operation_type"), s.labelNames("operation_batch_item_processing_rate"));
        assertEquals(Set.of("worker"), s.labelNames("operation_worker_queue_size"));
        for (String worker : new String[] {"price_update", "inventory_update", "code_import"}) {
            assertEquals(1, s.find("operation_worker_queue_size", "worker", worker).size(), worker);
        }
        assertEquals(1, s.find("listing_worker_queue_size", "worker", "parse").size());
    }

    @Test
    void aLongProcessingBatchAndAFinishedOneShowInTheScrape() throws SQLException {
        long price = insertProcessing("price_adjust", 100, 10, "40 minutes");
        try {
            metrics.readRunning();
            assumeTrue("processing".equals(status(price)), "another replica on this database finished the batch first");
            Scrape s = Scrape.parse(prometheus.scrape());
            assertTrue(s.sum("operation_batch_task_oldest_processing_seconds", "operation_type", "price_adjust") >= 2400,
                    s.find("operation_batch_task_oldest_processing_seconds").toString());
            assertTrue(s.sum("operation_batch_task_processing", "operation_type", "price_adjust") >= 1);
            assertTrue(s.sum("operation_worker_queue_size", "worker", "price_update") >= 90);
        } finally {
            delete(price);
        }

        Scrape before = Scrape.parse(prometheus.scrape());
        long inventory = insertProcessing("inventory_update", 0, 0, "5 seconds");
        try {
            runner.finishIfDone(inventory); // no open row: what the runner does for it (completed)
            Scrape after = Scrape.parse(prometheus.scrape());
            assumeTrue(delta(before, after, "operation_batch_task_total") > 0 || !"completed".equals(status(inventory)),
                    "another replica on this database (a running fleet, another test JVM) finished the batch first");
            assertEquals("completed", status(inventory));
            assertEquals(1, delta(before, after, "operation_batch_task_total", "operation_type", "inventory_update", "status", "success"));
            assertEquals(1, delta(before, after, "operation_batch_task_duration_seconds_count", "operation_type", "inventory_update"));
            assertTrue(delta(before, after, "operation_batch_task_duration_seconds_sum", "operation_type", "inventory_update") >= 5);
        } finally {
            delete(inventory);
        }
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private long insertProcessing(String type, int total, int done, String age) throws SQLException {
        long id = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO operation_batch_task (batch_id, batch_code, operation_type, operation_params, category_ids,
                    total_count, success_count, failed_count, skipped_count, status, progress, created_by, created_at, started_at)
                VALUES (?, ?, ?, '{}'::jsonb, '{}', ?, ?, 0, 0, 'processing', 0, 7, now(), now() - ?::interval)""")) {
            ps.setLong(1, id);
            ps.setString(2, "METRICS_" + id);
            ps.setString(3, type);
            ps.setInt(4, total);
            ps.setInt(5, done);
            ps.setString(6, age);
            ps.executeUpdate();
        }
        return id;
    }

    private String status(long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT status FROM operation_batch_task WHERE batch_id = ?")) {
            ps.setLong(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void delete(long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM operation_batch_task WHERE batch_id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
