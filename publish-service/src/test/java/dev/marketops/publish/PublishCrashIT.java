package dev.marketops.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.ServiceProcess;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.publish.support.Listings;
import dev.marketops.publish.support.PublishedEvents;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash safety of the publish saga against this module's built jar (run by failsafe after
 * package): publish-service dies at a chosen point (the crash-after-step fault-injection hook,
 * or kill -9 in the middle of a batch) and is started again; every saga then completes exactly
 * once: one item per task, its SKU, one listing.published event.
 */
class PublishCrashIT {

    static final String KAFKA = "127.0.0.1:9092";
    static final String DB = "jdbc:postgresql://127.0.0.1:5432/marketops_test";
    private static final ObjectMapper JSON = new ObjectMapper();

    static ListingFleetTestResource fleet;
    static Map<String, String> fleetProps;
    static ManagedChannel channel;
    static Listings listings;
    static CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    ServiceProcess publish;
    int publishHttp;
    PublishedEvents published;

    @BeforeAll
    static void startFleet() {
        fleet = new ListingFleetTestResource();
        fleetProps = fleet.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(fleetProps.get("quarkus.grpc.clients.listing.port")))
                .usePlaintext()
                // this test's own calls are a platform service's (no end user behind them)
                .intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(serviceAuth())).build();
        listings = new Listings(ListingCommandsGrpc.newBlockingStub(channel), ListingQueriesGrpc.newBlockingStub(channel));
        catalog = CatalogCommandsGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (fleet != null) {
            fleet.stop();
        }
    }

    @BeforeEach
    void openEvents() {
        published = new PublishedEvents(KAFKA);
    }

    @AfterEach
    void stopPublish() {
        if (publish != null) {
            publish.close();
        }
        published.close();
    }

    /** publish-service from its jar, pointed at the fleet, with a short lease so that recovery is quick. */
    static io.grpc.Metadata serviceAuth() {
        io.grpc.Metadata m = new io.grpc.Metadata();
        m.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + dev.marketops.platform.testing.Tokens.serviceToken());
        return m;
    }

    ServiceProcess startPublish(Map<String, String> extra) {
        publishHttp = ServiceProcess.freePort();
        Map<String, String> props = new HashMap<>();
        for (String k : List.of("quarkus.grpc.clients.listing.port", "quarkus.grpc.clients.config.port")) {
            props.put(k, fleetProps.get(k));
        }
        int grpc = ServiceProcess.freePort();
        props.put("quarkus.grpc.server.port", String.valueOf(grpc));
        props.put("marketops.publish.lease", "3s");
        props.put("marketops.publish.recovery-every", "1s");
        props.putAll(extra);
        publish = ServiceProcess.start("publish-service", publishHttp, props);
        return publish;
    }

    @ParameterizedTest(name = "halt right after {0}")
    @ValueSource(strings = {"create_item", "set_prices", "mark_online", "complete_task"})
    void aSagaInterruptedAfterAnyStepCompletesExactlyOnceAfterRestart(String step) throws Exception {
        // the task exists before the service starts, so that the hook can be aimed at its saga alone
        long taskId = listings.submitted(SampleListings.DEAL, Map.of());
        ServiceProcess first = startPublish(Map.of("marketops.publish.crash-after-step", step,
                "marketops.publish.crash-task-id", String.valueOf(taskId)));
        listings.approve(taskId);

        Listings.await("publish-service halts after " + step, 90_000, () -> !first.isAlive());
        Map<String, Object> atCrash = sagaRow(taskId);
        assertEquals(stepNo(step), ((Number) atCrash.get("completed_steps")).intValue(), "the step's success was persisted: " + atCrash);
        assertEquals(step.equals("complete_task") ? "completed" : "started", atCrash.get("status"));

        startPublish(Map.of());
        Listings.await("the saga of task " + taskId + " completes", 60_000, () -> "completed".equals(sagaRow(taskId).get("status")));
        assertPublishedOnce(Set.of(taskId));
    }

    @Test
    void killedInTheMiddleOfABatchEverySagaCompletesExactlyOnce() throws Exception {
        ServiceProcess first = startPublish(Map.of());
        long batchId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        List<Long> ids = listings.submittedBatch(batchId, SampleListings.DEAL, 1_000);
        listings.approveBatch(batchId, ids);

        // Under way: listing-service has made items (with combined steps, a group's steps are recorded
        // together after its RunSteps calls, so the kill falls between work done and work recorded).
        Listings.await("the batch's sagas are under way", 60_000, () -> stepsDone(ids) > 0
                || querySingleLong("SELECT count(*) FROM listing.item WHERE task_id = ANY(?)", ids) > 0);
        first.kill(); // kill -9
        long done = stepsDone(ids);
        assertTrue(done < 7L * ids.size(), "killed before the batch finished (" + done + " steps done)");

        startPublish(Map.of());
        Listings.await("all 1,000 sagas complete after the restart", 120_000, () -> completed(ids) == ids.size());
        assertPublishedOnce(new HashSet<>(ids));
    }

    private void assertPublishedOnce(Set<Long> taskIds) throws Exception {
        List<Long> ids = List.copyOf(taskIds);
        assertEquals(ids.size(), listings.countInStatus(ids, Listings.ONLINE), "every task is ONLINE");
        // Test-only read of the peer's table: no task ever got a second item.
        assertEquals(ids.size(), querySingleLong("SELECT count(*) FROM listing.item WHERE task_id = ANY(?)", ids));
        assertEquals(ids.size(), querySingleLong("SELECT count(DISTINCT task_id) FROM listing.item WHERE task_id = ANY(?)", ids));
        if (ids.size() == 1) {
            long taskId = ids.get(0);
            ListingTaskReply task = listings.task(taskId);
            long itemId = ((Number) sagaRow(taskId).get("item_id")).longValue();
            assertEquals(itemId, task.getItemId());
            ItemSnapshot item = catalog.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getItems(ItemRefs.newBuilder().addItemIds(itemId).build()).getItems(0);
            assertEquals("online", item.getStatus());
            assertEquals(1, item.getSkusCount(), "a voucher item has one SKU: " + item);
            JsonNode view = JSON.readTree(http("/sagas/" + taskId));
            view.get("steps").forEach(s -> assertEquals("succeeded", s.get("status").asText(), view.toString()));
        }
        Listings.await("listing.published for every task", 30_000, () -> published.poll().countAll(taskIds) == taskIds.size());
        published.settle(Duration.ofSeconds(2));
        assertEquals(taskIds.size(), published.totalFor(taskIds), "exactly one listing.published per task");
        assertFalse(publish == null || !publish.isAlive(), "the restarted service is up");
    }

    private static int stepNo(String step) {
        return List.of("create_item", "create_skus", "set_attributes", "init_inventory", "set_prices", "mark_online",
                "complete_task").indexOf(step) + 1;
    }

    private static Map<String, Object> sagaRow(long taskId) {
        try (Connection c = DriverManager.getConnection(DB, "postgres", "postgres"); PreparedStatement ps = c.prepareStatement(
                "SELECT status, completed_steps, item_id FROM publish.publish_saga WHERE task_id = ?")) {
            ps.setLong(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Map.of("status", "none", "completed_steps", -1, "item_id", 0L);
                }
                return Map.of("status", rs.getString(1), "completed_steps", rs.getInt(2), "item_id", rs.getLong(3));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long stepsDone(List<Long> ids) {
        return querySingleLong("SELECT coalesce(sum(completed_steps), 0) FROM publish.publish_saga WHERE task_id = ANY(?)", ids);
    }

    private static long completed(List<Long> ids) {
        return querySingleLong("SELECT count(*) FROM publish.publish_saga WHERE task_id = ANY(?) AND status = 'completed'", ids);
    }

    private static long querySingleLong(String sql, List<Long> ids) {
        try (Connection c = DriverManager.getConnection(DB, "postgres", "postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String http(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + publishHttp + path))
                .header("Authorization", dev.marketops.platform.testing.Tokens.bearer("operator", 11)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
