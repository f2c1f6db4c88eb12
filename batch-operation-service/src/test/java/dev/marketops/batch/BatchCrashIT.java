package dev.marketops.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.ServiceProcess;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.events.GoodsStatusChangedEvent;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crash and restart against this module's built jar (failsafe, after package): the service
 * is killed with kill -9 in the middle of a batch and started again; the batch resumes from
 * where it stopped (expired leases are claimed again) and every row is applied exactly once:
 * each item goes offline with one status change event, and the batch counts each row once.
 */
class BatchCrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static CatalogueFleet fleet;
    static Map<String, String> fleetProps;
    static ManagedChannel channel;
    static CatalogueItems items;

    @BeforeAll
    static void startFleet() {
        fleet = new CatalogueFleet();
        fleetProps = fleet.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(fleetProps.get("quarkus.grpc.clients.listing.port")))
                .usePlaintext()
                // this test's own calls to the catalogue are a platform service's (no end user behind them)
                .intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(serviceAuth())).build();
        items = new CatalogueItems(fleetProps.get("marketops.test.listing-url"), ListingCommandsGrpc.newBlockingStub(channel),
                CatalogCommandsGrpc.newBlockingStub(channel));
    }

    static io.grpc.Metadata serviceAuth() {
        io.grpc.Metadata m = new io.grpc.Metadata();
        m.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + Tokens.serviceToken());
        return m;
    }

    @AfterAll
    static void stopFleet() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (fleet != null) {
            fleet.stop();
        }
    }

    ServiceProcess start(int http, boolean slow) {
        String listingPort = fleetProps.get("quarkus.grpc.clients.listing.port");
        int grpc = ServiceProcess.freePort();
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.http.test-port", String.valueOf(http));
        props.put("quarkus.grpc.server.port", String.valueOf(grpc));
        props.put("quarkus.grpc.server.test-port", String.valueOf(grpc));
        props.put("quarkus.grpc.clients.listing.port", listingPort);
        props.put("quarkus.grpc.clients.listing.test-port", listingPort);
        props.put("quarkus.grpc.clients.config.port", fleetProps.get("quarkus.grpc.clients.config.port"));
        props.put("quarkus.grpc.clients.config.test-port", fleetProps.get("quarkus.grpc.clients.config.port"));
        props.put("marketops.batch.lease-seconds", "3");
        props.put("marketops.batch.max-chunk-size", "20");
        props.put("quarkus.log.category.\"dev.marketops.batch.worker\".level", "DEBUG");
        if (slow) {
            props.put("marketops.batch.test-chunk-pause", "PT0.2S"); // 20 chunks take >= 4 s: the kill lands mid-batch
        }
        return ServiceProcess.start("batch-operation-service", http, props);
    }

    @Test
    void aBatchKilledMidwayResumesAfterRestartAndAppliesEveryRowOnce() throws Exception {
        // given 400 online items and a sheet taking them all offline
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.addAll(items.online(SampleListings.TOPUP, 200));
        }
        List<String> lines = new ArrayList<>(List.of("item_id,target_status"));
        ids.forEach(id -> lines.add(id + ",offline"));
        long operator = System.nanoTime() & 0xffffffffL;
        int http = ServiceProcess.freePort();
        ServiceProcess batch = start(http, true);
        String base = "http://127.0.0.1:" + http;
        long batchId;
        try (KafkaConsumer<String, byte[]> events = statusEvents()) {
            try {
                batchId = RestAssured.given().header("Authorization", Tokens.bearer("operator", operator))
                        .multiPart("file", "offline.csv", Sheets.csv(lines.toArray(String[]::new)))
                        .multiPart("operationType", "status_change").post(base + "/batches").then().statusCode(201)
                        .extract().jsonPath().getLong("batch.batchId");
                // when the service dies (kill -9) after some chunks but before the end
                awaitProgress(base, operator, batchId, b -> b.get("successCount").asInt() > 0);
                JsonNode atKill = get(base, operator, batchId);
                batch.kill();
                assertTrue(atKill.get("successCount").asInt() < ids.size(), "the batch ended before the kill: " + atKill);
            } catch (RuntimeException | AssertionError e) {
                batch.close();
                throw e;
            }
            // and is started again
            batch = start(http, false);
            try {
                JsonNode done = awaitProgress(base, operator, batchId, b -> b.get("status").asText().equals("completed"));
                // then every row is counted once and every item is offline, with one status change each
                assertEquals(ids.size(), done.get("successCount").asInt(), done.toString());
                assertEquals(0, done.get("failedCount").asInt());
                Map<Long, ItemSnapshot> now = items.read(ids);
                assertTrue(now.values().stream().allMatch(i -> i.getStatus().equals("offline")));
                // (the saga's own draft -> online events of these items are on the topic too: only "offline" counts)
                Map<Long, Integer> changes = new HashMap<>();
                Set<Long> wanted = Set.copyOf(ids);
                long deadline = System.currentTimeMillis() + 90_000;
                while (changes.size() < ids.size() && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(300))) {
                        GoodsStatusChangedEvent e = GoodsStatusChangedEvent.parseFrom(r.value());
                        if (wanted.contains(e.getItemId()) && "offline".equals(e.getToStatus())) {
                            changes.merge(e.getItemId(), 1, Integer::sum);
                        }
                    }
                }
                // a late duplicate would arrive right behind: read a little longer
                long grace = System.currentTimeMillis() + 2_000;
                while (System.currentTimeMillis() < grace) {
                    for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(300))) {
                        GoodsStatusChangedEvent e = GoodsStatusChangedEvent.parseFrom(r.value());
                        if (wanted.contains(e.getItemId()) && "offline".equals(e.getToStatus())) {
                            changes.merge(e.getItemId(), 1, Integer::sum);
                        }
                    }
                }
                assertEquals(ids.size(), changes.size());
                assertTrue(changes.values().stream().allMatch(n -> n == 1), "some item went offline twice: "
                        + changes.entrySet().stream().filter(e -> e.getValue() > 1).limit(10).toList());
            } finally {
                batch.close();
            }
        }
    }

    @Test
    void aBatchStoppedWithSigtermFinishesItsChunkThenTheRestResumesWithNothingRetriedOrDoubled() throws Exception {
        // given 200 online items and a sheet taking them all offline, run in chunks of 20 with a pause
        List<Long> ids = items.online(SampleListings.TOPUP, 200);
        List<String> lines = new ArrayList<>(List.of("item_id,target_status"));
        ids.forEach(id -> lines.add(id + ",offline"));
        long operator = System.nanoTime() & 0xffffffffL;
        int http = ServiceProcess.freePort();
        ServiceProcess batch = start(http, true);
        String base = "http://127.0.0.1:" + http;
        long batchId;
        try (KafkaConsumer<String, byte[]> events = statusEvents()) {
            try {
                batchId = RestAssured.given().header("Authorization", Tokens.bearer("operator", operator))
                        .multiPart("file", "offline.csv", Sheets.csv(lines.toArray(String[]::new)))
                        .multiPart("operationType", "status_change").post(base + "/batches").then().statusCode(201)
                        .extract().jsonPath().getLong("batch.batchId");
                awaitProgress(base, operator, batchId, b -> b.get("successCount").asInt() > 0);
            } catch (RuntimeException | AssertionError e) {
                batch.close();
                throw e;
            }
            // when the service gets SIGTERM mid-batch (a rolling restart)
            batch.close();
            assertTrue(!batch.isAlive(), "the service did not exit within its grace period");
            assertTrue(batch.logged("every claimed chunk finished and recorded"), batch.logTail());
            // then no row is left held, and none was tried twice
            List<JsonNode> stopped = rows(batchId);
            assertEquals(0, stopped.stream().filter(r -> r.get("status").asText().equals("processing")).count(),
                    "a row is still held after the graceful stop");
            assertTrue(stopped.stream().anyMatch(r -> r.get("status").asText().equals("pending")), "the stop came after the last chunk");

            // when it is started again, then the rest is done, every row once, each item offline once
            batch = start(http, false);
            try {
                JsonNode done = awaitProgress(base, operator, batchId, b -> b.get("status").asText().equals("completed"));
                assertEquals(ids.size(), done.get("successCount").asInt(), done.toString());
                List<JsonNode> rows = rows(batchId);
                assertEquals(ids.size(), rows.size());
                assertTrue(rows.stream().allMatch(r -> r.get("attempts").asInt() == 1),
                        "a row was tried again: " + rows.stream().filter(r -> r.get("attempts").asInt() != 1).limit(5).toList());
                Map<Long, Integer> changes = new HashMap<>();
                Set<Long> wanted = Set.copyOf(ids);
                long deadline = System.currentTimeMillis() + 60_000;
                long grace = Long.MAX_VALUE;
                while (System.currentTimeMillis() < Math.min(deadline, grace)) {
                    for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(300))) {
                        GoodsStatusChangedEvent e = GoodsStatusChangedEvent.parseFrom(r.value());
                        if (wanted.contains(e.getItemId()) && "offline".equals(e.getToStatus())) {
                            changes.merge(e.getItemId(), 1, Integer::sum);
                        }
                    }
                    if (changes.size() == ids.size() && grace == Long.MAX_VALUE) {
                        grace = System.currentTimeMillis() + 2_000; // a late duplicate would arrive right behind
                    }
                }
                assertEquals(ids.size(), changes.size());
                assertTrue(changes.values().stream().allMatch(n -> n == 1), "some item went offline twice");
            } finally {
                batch.close();
            }
        }
    }

    /** Every row of the batch (status, attempts), read from the batch schema: also while the service is stopped. */
    static List<JsonNode> rows(long batchId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/marketops_test",
                "postgres", "postgres");
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "SELECT row_no, status, attempts FROM batch.operation_batch_item WHERE batch_id = ? ORDER BY row_no")) {
            ps.setLong(1, batchId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JSON.createObjectNode().put("rowNo", rs.getInt(1)).put("status", rs.getString(2))
                            .put("attempts", rs.getInt(3)));
                }
            }
        }
        return out;
    }

    static KafkaConsumer<String, byte[]> statusEvents() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:9092");
        p.put("group.id", "batch-crash-it-" + UUID.randomUUID());
        // earliest: the topic may not exist yet when the test starts; only this run's new items are counted
        p.put("auto.offset.reset", "earliest");
        p.put("metadata.max.age.ms", "1000");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of("goods.status.changed"));
        return c;
    }

    static JsonNode get(String base, long operator, long batchId) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/batches/" + batchId))
                .header("Authorization", Tokens.bearer("operator", operator)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static JsonNode awaitProgress(String base, long operator, long batchId, java.util.function.Predicate<JsonNode> until)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode b = get(base, operator, batchId);
            if (until.test(b)) {
                return b;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("batch " + batchId + " did not get there: " + get(base, operator, batchId));
    }
}
