package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.outbox.OutboxPublisher;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's infrastructure faults on servers of the test's own ({@link PrivateInfraFleet}): a
 * price batch of {@value #DEFAULT_ROWS} rows against the real catalogue while the Kafka broker is
 * stopped and started again, and while PostgreSQL is restarted. Each ends with every row applied
 * exactly once (each price moved by the row's amount, not twice), every row counted once, and
 * the events of the changes delivered once the broker is back. And while listing-service (the
 * catalogue) is killed with kill -9 for 30 s in the middle of such a batch.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateInfraFleet.class, restrictToAnnotatedClass = true)
class InfraOutageTest {

    static final int DEFAULT_ROWS = 10_000;
    /** -Dmarketops.fault.rows=N runs the scenarios with fewer rows (a quick local check). */
    static final int ROWS = Integer.getInteger("marketops.fault.rows", DEFAULT_ROWS);
    private static final Logger LOG = Logger.getLogger(InfraOutageTest.class);
    private static List<Long> items;

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listingStub;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalogStub;
    @Inject
    AgroalDataSource ds;
    @ConfigProperty(name = "marketops.test.listing-url", defaultValue = "unset") // a test profile without the resource must still boot
    String listingUrl;

    final long operator = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);

    @Test
    void aPriceBatchOutlivesAKafkaBrokerStopAndEveryRowIsAppliedOnce() throws Exception {
        // given ROWS online top-ups and a sheet raising each price by 0.30
        List<Long> ids = onlineItems();
        Map<Long, Long> before = prices(ids);
        long since = lastOutboxId();
        long batchId = upload(ids, "0.3");

        // when the broker stops once the first chunks are applied, and stays down for 15 s
        await("a first chunk is applied", 120, () -> batch(batchId).getInt("successCount") > 0);
        PrivateInfraFleet.current.kafka.stop();
        int atStop = batch(batchId).getInt("successCount");
        LOG.infof("FIGURES Kafka stopped with %d of %d rows applied", atStop, ROWS);
        assertTrue(atStop < ROWS, "the batch was through before the broker stopped: " + atStop);
        Thread.sleep(15_000);
        JsonPath during = batch(batchId);
        assertEquals(0, during.getInt("failedCount"), "no row fails for the broker's outage: " + during.prettify());
        PrivateInfraFleet.current.kafka.start();

        // then the batch completes with every row succeeded, each applied once and attempted once
        JsonPath done = awaitFinished(batchId, 300);
        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals(ROWS, done.getInt("successCount"), done.prettify());
        assertEquals(0, done.getInt("failedCount"), done.prettify());
        assertAppliedOnce(batchId, ids, before, 30, true);

        // and every change's event reaches the broker after it is back: one price.changed per item, one completion
        await("the catalogue's and the batch's outboxes are drained", 120,
                () -> unsent("listing") == 0 && unsent("batch") == 0);
        long[] outbox = priceEvents(since);
        assertEquals(ROWS, outbox[0], "price.changed events written by the batch's changes");
        assertEquals(ROWS, outbox[1], "one per item");
        Map<String, Set<String>> delivered = consume(Set.of("price.changed", "operation.batch.completed"));
        Set<String> written = priceEventIds(since);
        assertTrue(delivered.getOrDefault("price.changed", Set.of()).containsAll(written),
                "every price.changed event was delivered (" + written.size() + " written)");
        assertEquals(1, delivered.getOrDefault("operation.batch.completed:" + batchId, Set.of()).size(),
                "the batch's completion was announced once");

        // and the batch's record: started, no outage of the catalogue (the broker's outage held no row back)
        assertTrue(history(batchId).stream().noneMatch(a -> a.startsWith("outage")), history(batchId).toString());
    }

    @Test
    void aPriceBatchOutlivesAPostgresRestartAndEveryRowIsAppliedOnce() throws Exception {
        // given the same ROWS online items and a sheet lowering each price by 0.20
        List<Long> ids = onlineItems();
        Map<Long, Long> before = prices(ids);
        long batchId = upload(ids, "-0.2");

        // when PostgreSQL (the batch's and the catalogue's) restarts once the first chunks are applied
        await("a chunk is being applied after the first ones", 120, () -> rows(batchId, "succeeded") > 0 && rows(batchId, "processing") > 0);
        PrivateInfraFleet.current.postgres.restart();
        LOG.infof("FIGURES PostgreSQL restarted during the batch");

        // then the batch completes with every row succeeded, and each price moved once
        JsonPath done = awaitFinished(batchId, 300);
        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals(ROWS, done.getInt("successCount"), done.prettify());
        assertEquals(0, done.getInt("failedCount"), done.prettify());
        assertAppliedOnce(batchId, ids, before, -20, false);
        LOG.infof("FIGURES after the restart: history %s, rows attempted twice %d", history(batchId), retried(batchId));
    }

    @Test
    void aPriceBatchOutlivesAListingServiceKillAndEveryRowIsAppliedOnce() throws Exception {
        // given the same ROWS online items and a sheet raising each price by 0.10
        List<Long> ids = onlineItems();
        Map<Long, Long> before = prices(ids);
        long batchId = upload(ids, "0.1");

        // when listing-service (the catalogue) is killed once the first chunks are applied, and is gone for 30 s
        await("a first chunk is applied", 120, () -> batch(batchId).getInt("successCount") > 0);
        PrivateInfraFleet.current.killListing();
        int atKill = batch(batchId).getInt("successCount");
        LOG.infof("FIGURES listing-service killed with %d of %d rows applied", atKill, ROWS);
        assertTrue(atKill < ROWS, "the batch was through before the kill: " + atKill);
        await("the batch says what it waits for", 30, () -> batch(batchId).getString("waitingFor") != null);
        Thread.sleep(30_000);
        JsonPath during = batch(batchId);
        assertEquals("processing", during.getString("status"), during.prettify());
        assertTrue(during.getString("waitingFor").startsWith("listing-service UNAVAILABLE"), during.getString("waitingFor"));
        assertEquals(0, during.getInt("failedCount"), "no row fails for the catalogue's outage: " + during.prettify());
        PrivateInfraFleet.current.restartListing();

        // then the batch completes with every row succeeded, each price moved once (a chunk the
        // killed process had committed is recognised by its items' versions, not sent again)
        JsonPath done = awaitFinished(batchId, 300);
        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals(ROWS, done.getInt("successCount"), done.prettify());
        assertEquals(0, done.getInt("failedCount"), done.prettify());
        assertAppliedOnce(batchId, ids, before, 10, false);

        // and the batch's record tells the outage
        List<String> actions = history(batchId);
        assertTrue(actions.contains("outage_started") && actions.contains("outage_ended"), actions.toString());
        LOG.infof("FIGURES after the kill: history %s, rows attempted twice %d", actions, retried(batchId));
    }

    // ------------------------------------------------------------------ fixtures and probes

    private List<Long> onlineItems() {
        if (items == null) {
            long started = System.nanoTime();
            List<Long> made = new ArrayList<>(ROWS);
            while (made.size() < ROWS) {
                // fresh stubs per round: a stub's deadline is an instant fixed when it is made
                CatalogueItems maker = new CatalogueItems(listingUrl, listingStub.withDeadlineAfter(180, TimeUnit.SECONDS),
                        catalogStub.withDeadlineAfter(180, TimeUnit.SECONDS));
                made.addAll(maker.online(SampleListings.TOPUP, Math.min(1_000, ROWS - made.size())));
            }
            LOG.infof("FIGURES %d online items made in %d ms", ROWS, (System.nanoTime() - started) / 1_000_000);
            items = List.copyOf(made);
        }
        return items;
    }

    private Map<Long, Long> prices(List<Long> ids) {
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i += 1_000) {
            List<Long> page = ids.subList(i, Math.min(ids.size(), i + 1_000));
            CatalogueItems reader = new CatalogueItems(listingUrl, listingStub.withDeadlineAfter(60, TimeUnit.SECONDS),
                    catalogStub.withDeadlineAfter(60, TimeUnit.SECONDS));
            reader.read(page).forEach((id, s) -> out.put(id, s.getSkus(0).getSalePriceCents()));
        }
        assertEquals(ids.size(), out.size(), "every item read back");
        return out;
    }

    private long upload(List<Long> ids, String add) {
        List<String> lines = new ArrayList<>(ids.size() + 1);
        lines.add("item_id,mode,value");
        ids.forEach(id -> lines.add(id + ",add," + add));
        return given().header("Authorization", Tokens.bearer("operator", operator))
                .multiPart("file", "prices-" + System.nanoTime() + ".csv", Sheets.csv(lines.toArray(String[]::new)))
                .multiPart("operationType", "price_adjust").post("/batches").then().statusCode(201)
                .extract().jsonPath().getLong("batch.batchId");
    }

    /**
     * Each item's price moved by exactly {@code cents} and each row succeeded; with
     * {@code firstAttempt}, each on its first attempt (nothing retried).
     */
    private void assertAppliedOnce(long batchId, List<Long> ids, Map<Long, Long> before, long cents, boolean firstAttempt) {
        Map<Long, Long> after = prices(ids);
        List<Long> wrong = ids.stream().filter(id -> after.get(id) != before.get(id) + cents).limit(10).toList();
        assertTrue(wrong.isEmpty(), "items not moved by exactly " + cents + " cents: " + wrong);
        long[] rows = new long[3];
        query("SELECT count(*), count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE attempts <> 1)"
                + " FROM operation_batch_item WHERE batch_id = ?", batchId, rs -> {
                    rows[0] = rs.getLong(1);
                    rows[1] = rs.getLong(2);
                    rows[2] = rs.getLong(3);
                });
        assertEquals(ROWS, rows[0], "rows of the batch");
        assertEquals(ROWS, rows[1], "succeeded rows");
        if (firstAttempt) {
            assertEquals(0, rows[2], "rows attempted more than once");
        }
    }

    private JsonPath batch(long id) {
        return given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    private List<String> history(long id) {
        return given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id + "/history")
                .then().statusCode(200).extract().jsonPath().getList("action");
    }

    private JsonPath awaitFinished(long id, int seconds) throws InterruptedException {
        await("batch " + id + " is finished", seconds, () -> List.of("completed", "partial_success", "failed", "cancelled")
                .contains(batch(id).getString("status")));
        return batch(id);
    }

    /** The newest row of listing-service's outbox: what the catalogue wrote before the batch (nothing is in flight then). */
    private long lastOutboxId() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM listing.outbox_event");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long rows(long batchId, String status) {
        long[] n = new long[1];
        query("SELECT count(*) FROM operation_batch_item WHERE batch_id = ? AND status = '" + status + "'", batchId, rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    private long retried(long batchId) {
        long[] n = new long[1];
        query("SELECT count(*) FROM operation_batch_item WHERE batch_id = ? AND attempts > 1", batchId, rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /** Outbox rows of a service's schema not yet acknowledged by the broker. */
    private long unsent(String schema) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + schema + ".outbox_event WHERE sent_at IS NULL"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** In listing-service's outbox (looked at, never written): price.changed rows since, and their distinct items. */
    private long[] priceEvents(long since) {
        long[] out = new long[2];
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), count(DISTINCT msg_key) FROM listing.outbox_event WHERE topic = 'price.changed' AND id > ?")) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                out[0] = rs.getLong(1);
                out[1] = rs.getLong(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private Set<String> priceEventIds(long since) {
        Set<String> out = new HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT event_id FROM listing.outbox_event WHERE topic = 'price.changed' AND id > ?")) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Everything on the private broker's topics, as event ids: per topic, and per
     * "operation.batch.completed:batchId" for completions.
     */
    private Map<String, Set<String>> consume(Set<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PrivateInfraFleet.current.kafka.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-outage-probe-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Set<String>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i ->
                        partitions.add(new org.apache.kafka.common.TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertTrue(System.nanoTime() < deadline, "the private broker's topics could not be read to their end");
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var header = r.headers().lastHeader(OutboxPublisher.HEADER_EVENT_ID);
                    String eventId = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
                    out.computeIfAbsent(r.topic(), t -> new HashSet<>()).add(eventId);
                    if (r.topic().equals("operation.batch.completed")) {
                        out.computeIfAbsent(r.topic() + ":" + r.key(), t -> new HashSet<>()).add(eventId);
                    }
                }
            }
        }
        return out;
    }

    interface Row {
        void read(ResultSet rs) throws Exception;
    }

    private void query(String sql, long id, Row each) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.read(rs);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
