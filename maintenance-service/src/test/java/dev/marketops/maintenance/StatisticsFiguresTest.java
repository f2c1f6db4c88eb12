package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.maintenance.statistics.StatisticsWorker;
import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.outbox.OutboxPublisher;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.events.SupplierSyncEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The business figures per hour and day, from source tables shaped like the services' (in the test
 * profile the worker reads schema stats_probe instead of listing, audit and batch), read back through
 * the dashboard REST.
 */
@QuarkusTest
class StatisticsFiguresTest {

    @Inject
    AgroalDataSource ds;
    @Inject
    MovableClock clock;
    @Inject
    StatisticsWorker worker;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @AfterEach
    void cleanUp() throws SQLException {
        clock.reset();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS stats_probe CASCADE");
            st.execute("DELETE FROM statistic WHERE bucket >= '2032-03-01' AND bucket < '2032-04-01'");
            st.execute("DELETE FROM statistic WHERE bucket >= '2032-05-01' AND bucket < '2032-06-01'");
            st.execute("DELETE FROM supplier_sync_hour WHERE hour >= '2032-05-01' AND hour < '2032-06-01'");
        }
    }

    @Test
    void listingsAuditsAndBatchesAreCountedPerHourAndDay() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS stats_probe CASCADE");
            st.execute("CREATE SCHEMA stats_probe");
            st.execute("CREATE TABLE stats_probe.listing_task (category_id BIGINT, status SMALLINT, source_type TEXT, created_at TIMESTAMPTZ)");
            st.execute("CREATE TABLE stats_probe.listing_audit_log (audit_type TEXT, audit_action TEXT, duration_ms INT, audit_time TIMESTAMPTZ)");
            st.execute("""
                    CREATE TABLE stats_probe.operation_batch_task (operation_type TEXT, status TEXT, total_count INT, failed_count INT,
                        created_at TIMESTAMPTZ, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ)""");
            st.execute("""
                    INSERT INTO stats_probe.listing_task VALUES
                        (7, 3, 'operator_form', '2032-03-10T09:10:00Z'), (7, 3, 'operator_form', '2032-03-10T09:50:00Z'),
                        (8, 6, 'supplier_push', '2032-03-10T09:59:59Z'), (7, 3, 'operator_form', '2032-03-10T10:00:00Z'),
                        (7, 3, 'operator_form', '2032-03-09T23:00:00Z')""");
            st.execute("""
                    INSERT INTO stats_probe.listing_audit_log VALUES
                        ('auto', 'approve', 10, '2032-03-10T09:01:00Z'), ('auto', 'approve', 20, '2032-03-10T09:02:00Z'),
                        ('auto', 'reject', 30, '2032-03-10T09:03:00Z'), ('manual', 'approve', 600000, '2032-03-10T09:04:00Z'),
                        ('auto', 'queue', 5, '2032-03-10T09:05:00Z')""");
            st.execute("""
                    INSERT INTO stats_probe.operation_batch_task VALUES
                        ('price_adjust', 'completed', 100, 0, '2032-03-10T08:00:00Z', '2032-03-10T09:00:00Z', '2032-03-10T09:00:40Z'),
                        ('price_adjust', 'completed', 300, 0, '2032-03-10T08:00:00Z', '2032-03-10T09:10:00Z', '2032-03-10T09:11:00Z'),
                        ('price_adjust', 'partial_success', 50, 5, '2032-03-10T08:00:00Z', '2032-03-10T09:10:00Z', '2032-03-10T09:10:10Z')""");
        }
        // the hourly run at 10:05 computes 09:00 (complete) and 10:00, and the day so far
        clock.set(Instant.parse("2032-03-10T10:05:00Z"));
        assertEquals(ClusterSingleton.RunResult.RAN, worker.runFigures());

        JsonPath hour = figures("hour", "2032-03-10T09:00:00Z", "2032-03-10T10:00:00Z");
        assertEquals(2.0, value(hour, "listings_created", Map.of("category_id", "7", "status", "3", "source_type", "operator_form")));
        assertEquals(1.0, value(hour, "listings_created", Map.of("category_id", "8", "status", "6", "source_type", "supplier_push")));
        assertEquals(4.0, value(hour, "audit_decisions", Map.of("audit_type", "auto")));
        assertEquals(2.0 / 3, value(hour, "audit_pass_rate", Map.of("audit_type", "auto")), 1e-6);
        assertEquals(16.25, value(hour, "audit_duration_ms_avg", Map.of("audit_type", "auto")), 1e-6);
        assertEquals(1.0, value(hour, "audit_pass_rate", Map.of("audit_type", "manual")));
        assertEquals(2.0, value(hour, "batches_finished", Map.of("operation_type", "price_adjust", "status", "completed")));
        assertEquals(400.0, value(hour, "batch_rows", Map.of("operation_type", "price_adjust", "status", "completed")));
        assertEquals(50.0, value(hour, "batch_duration_seconds_avg", Map.of("operation_type", "price_adjust", "status", "completed")), 1e-6);
        assertEquals(5.0, value(hour, "batch_failed_rows", Map.of("operation_type", "price_adjust", "status", "partial_success")));

        JsonPath day = figures("day", "2032-03-09T00:00:00Z", "2032-03-11T00:00:00Z");
        List<Map<String, Object>> days = day.getList("findAll { it.metric == 'listings_created' && it.dimensions.category_id == '7' }");
        assertEquals(List.of(1.0f, 3.0f), days.stream().map(d -> ((Number) d.get("value")).floatValue()).toList(), days.toString());

        // a recount replaces a bucket's figures: a deleted source row is not counted any more
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM stats_probe.listing_task WHERE category_id = 8");
        }
        assertEquals(ClusterSingleton.RunResult.RAN, worker.runFigures());
        assertEquals(0, figures("hour", "2032-03-10T09:00:00Z", "2032-03-10T10:00:00Z")
                .getList("findAll { it.dimensions.category_id == '8' }").size());
        given().header("Authorization", Tokens.merchantBearer(75, 1075)).get("/statistics").then().statusCode(403);
        given().header("Authorization", Tokens.bearer("auditor", 75)).queryParam("granularity", "week").get("/statistics")
                .then().statusCode(400);
    }

    /**
     * Supplier sync success and lag come from supplier-sync-service's events (no read of its schema):
     * pages applied and pulls that stopped, summed per hour of the event, then per hour and day.
     */
    @Test
    void supplierSyncSuccessAndLagAreCountedPerHourAndDayFromTheSuppliersEvents() throws Exception {
        String supplier = "STATS_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        SupplierSyncEvent page1 = page(supplier, "2032-05-10T09:10:00Z", 10, 9, 1, 30);
        SupplierSyncEvent page2 = page(supplier, "2032-05-10T09:40:00Z", 10, 10, 0, 90);
        SupplierSyncEvent later = page(supplier, "2032-05-10T10:02:00Z", 5, 4, 1, -1);
        SupplierSyncEvent stopped = SupplierSyncEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setTimestamp(Instant.parse("2032-05-10T09:50:00Z").toEpochMilli()).setEventType("pull_failed")
                .setSupplierCode(supplier).setCategoryCode("HOTEL").setSyncMode("pull").setChannel("pull")
                .setReasonCode("TIMEOUT").setReason("TIMEOUT: no answer").setConsecutiveFailures(1).setLagSeconds(-1).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            // page1 twice: a redelivery is not counted again
            for (SupplierSyncEvent e : List.of(page1, page1, page2, later)) {
                producer.send(record("supplier.sync.applied", e)).get();
            }
            producer.send(record("supplier.sync.failed", stopped)).get();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count("SELECT coalesce(sum(pages + failed_pulls), 0) FROM supplier_sync_hour WHERE supplier_code = '" + supplier + "'") < 4) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the supplier's events were not summed in time");
            }
            Thread.sleep(200);
        }

        clock.set(Instant.parse("2032-05-10T10:05:00Z"));
        assertEquals(ClusterSingleton.RunResult.RAN, worker.runFigures());
        Map<String, String> dims = Map.of("supplier_code", supplier, "category_code", "HOTEL");
        JsonPath nine = figures("hour", "2032-05-10T09:00:00Z", "2032-05-10T10:00:00Z");
        assertEquals(20.0, value(nine, "supplier_sync_records", dims));
        assertEquals(19.0 / 20, value(nine, "supplier_sync_success_rate", dims), 1e-5);
        assertEquals(1.0, value(nine, "supplier_sync_failed_records", dims));
        assertEquals(1.0, value(nine, "supplier_sync_failed_pulls", dims));
        assertEquals(60.0, value(nine, "supplier_sync_lag_seconds_avg", dims), 1e-5);
        assertEquals(90.0, value(nine, "supplier_sync_lag_seconds_max", dims), 1e-5);
        JsonPath ten = figures("hour", "2032-05-10T10:00:00Z", "2032-05-10T11:00:00Z");
        assertEquals(0.8, value(ten, "supplier_sync_success_rate", dims), 1e-5);
        assertEquals(0, ten.getList("findAll { it.metric == 'supplier_sync_lag_seconds_avg' && it.dimensions.supplier_code == '"
                + supplier + "' }").size(), "a page without change times has no lag");
        JsonPath day = figures("day", "2032-05-10T00:00:00Z", "2032-05-11T00:00:00Z");
        assertEquals(25.0, value(day, "supplier_sync_records", dims));
        assertEquals(23.0 / 25, value(day, "supplier_sync_success_rate", dims), 1e-5);
        assertEquals(60.0, value(day, "supplier_sync_lag_seconds_avg", dims), 1e-5);
    }

    private static SupplierSyncEvent page(String supplier, String at, int received, int applied, int failed, double lag) {
        return SupplierSyncEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTimestamp(Instant.parse(at).toEpochMilli())
                .setEventType("page_applied").setSupplierCode(supplier).setCategoryCode("HOTEL").setSyncMode("pull").setChannel("pull")
                .setReceivedCount(received).setAppliedCount(applied).setFailedCount(failed).setLagSeconds(lag).build();
    }

    private static ProducerRecord<String, byte[]> record(String topic, SupplierSyncEvent e) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, e.getSupplierCode(), e.toByteArray());
        r.headers().add(OutboxPublisher.HEADER_EVENT_ID, e.getEventId().getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static JsonPath figures(String granularity, String from, String to) {
        return given().header("Authorization", Tokens.bearer("operator", 75)).queryParam("granularity", granularity)
                .queryParam("from", from).queryParam("to", to).get("/statistics").then().statusCode(200).extract().jsonPath();
    }

    private static double value(JsonPath figures, String metric, Map<String, String> dims) {
        List<Map<String, Object>> all = figures.getList("findAll { it.metric == '" + metric + "' }");
        return all.stream().filter(f -> f.get("dimensions").equals(dims)).map(f -> ((Number) f.get("value")).doubleValue())
                .findFirst().orElseThrow(() -> new AssertionError(metric + " " + dims + " not in " + all));
    }
}
