package dev.marketops.search.fault;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionRequest;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.projection.RedisProjection;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Fault test (issue 12): Redis loses everything (FLUSHALL on this test's own redis-server) and
 * an operator's reconciliation puts every item of the shop back exactly as the catalogue
 * (listing-service, a real process) has it; the run's report counts what was missing.
 */
@QuarkusTest
@TestProfile(RedisFlushProfile.class)
class RedisFlushReconciliationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CACHE_SYNC_TOPICS = List.of("listing.published", "price.changed", "inventory.changed",
            "goods.status.changed", "item.changed");

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @Inject
    RedisProjection projection;
    @Inject
    io.agroal.api.AgroalDataSource db;
    @ConfigProperty(name = "marketops.test.redis-port", defaultValue = "0") // a test profile without the resource must still boot
    int redisPort;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;
    @ConfigProperty(name = "mp.messaging.incoming.cache-sync.group.id")
    String cacheSyncGroup;

    private final long shop = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);

    @Test
    void flushedRedisIsRefilledByReconciliationAsTheCatalogueHasIt() throws Exception {
        // given: five online items of a fresh shop, projected in Redis by the sync worker
        List<Long> items = publish(List.of(SampleListings.HOTEL, SampleListings.TOPUP, SampleListings.OPV, SampleListings.GIFTCARD,
                SampleListings.TOPUP));
        Map<Long, ItemSnapshot> truth = snapshots(items);
        await("projected in Redis at the catalogue's version", () -> items.stream().allMatch(id -> {
            Map<String, String> h = projection.read(List.of(id)).get(id);
            return h != null && Long.toString(truth.get(id).getVersion()).equals(h.get("version"));
        }));
        // and the sync worker has consumed every event sent so far (none left to refill Redis behind the test's back)
        awaitCacheSyncCaughtUp();

        // when: Redis loses everything
        assertEquals("OK", PrivateRedisResource.cli(redisPort, "FLUSHALL"));
        assertEquals("0", PrivateRedisResource.cli(redisPort, "DBSIZE"));
        assertTrue(projection.read(items).values().stream().allMatch(h -> h == null), "nothing left in Redis");

        // and an operator reconciles the shop
        JsonPath report = reconcile();

        // then: the run names every item as missing from Redis and nothing else as drift
        assertEquals("succeeded", report.getString("status"), report.prettify());
        assertEquals(items.size(), report.getInt("scanned"));
        Map<String, Integer> counts = report.getMap("counts", String.class, Integer.class);
        Map<String, Integer> expected = new HashMap<>();
        counts.keySet().forEach(k -> expected.put(k, 0));
        expected.put("redis_missing", items.size());
        assertEquals(expected, counts, report.prettify());
        assertEquals(Set.copyOf(items), Set.copyOf(report.getList("samples.redis_missing", Long.class)));

        // and every hash says what the catalogue says, field by field
        Map<Long, Map<String, String>> hashes = projection.read(items);
        for (long id : items) {
            Map<String, String> h = hashes.get(id);
            assertNotNull(h, "item " + id + " back in Redis");
            assertEquals(projection.fields(ItemProjection.of(truth.get(id))), h.entrySet().stream()
                    .filter(e -> e.getValue() != null).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "item " + id);
        }
        assertEquals(Integer.toString(items.size()), PrivateRedisResource.cli(redisPort, "DBSIZE"), "one hash per item, nothing else");

        // and a second run finds nothing to repair
        JsonPath again = reconcile();
        assertEquals("succeeded", again.getString("status"), again.prettify());
        assertEquals(0, again.getMap("counts", String.class, Integer.class).values().stream().mapToInt(Integer::intValue).sum(),
                again.prettify());
    }

    private JsonPath reconcile() throws InterruptedException {
        long runId = staff().contentType("application/json").body(Map.of("shopId", shop)).post("/reconciliations")
                .then().statusCode(202).extract().jsonPath().getLong("runId");
        await("reconciliation " + runId + " finished", () -> !"running".equals(run(runId).getString("status")));
        return run(runId);
    }

    /** The cache-sync group's committed offsets reach the end offsets taken now, on every partition of its topics. */
    private void awaitCacheSyncCaughtUp() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(CACHE_SYNC_TOPICS).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, d) ->
                    d.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, r) -> ends.put(tp, r.offset()));
            await("cache-sync consumed every event sent before the flush", () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(cacheSyncGroup)
                            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                    return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                            || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private Map<Long, ItemSnapshot> snapshots(List<Long> items) {
        return catalog.withDeadlineAfter(30, TimeUnit.SECONDS).getItems(ItemRefs.newBuilder().addAllItemIds(items).build())
                .getItemsList().stream().collect(Collectors.toMap(ItemSnapshot::getItemId, s -> s));
    }

    /** Listings created, approved and put online through the catalogue's saga commands, as publish-service does. */
    private List<Long> publish(List<Long> categories) throws Exception {
        knownShop();
        List<Long> tasks = new ArrayList<>();
        for (long category : categories) {
            CreateTaskRequest create = CreateTaskRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString()).setCategoryId(category).setTitle("Flush sample " + category)
                    .setSourceType("operator_form").setSourceUserType("operator").setCreatorId(shop).setShopId(shop)
                    .setItemDataJson(JSON.writeValueAsString(SampleListings.itemData(category))).build();
            long task = retried(() -> listing.withDeadlineAfter(30, TimeUnit.SECONDS).createTask(create)).getTaskId();
            transition(task, "submit", "operator");
            transition(task, "approve", "auditor");
            tasks.add(task);
        }
        ItemResults created = catalog.withDeadlineAfter(30, TimeUnit.SECONDS).createItems(CreateItemsRequest.newBuilder().addAllTaskIds(tasks).build());
        List<Long> items = created.getResultsList().stream().map(r -> ok(r).getItemId()).toList();
        ItemRefs refs = ItemRefs.newBuilder().addAllItemIds(items).build();
        for (Function<ItemRefs, ItemResults> step : List.<Function<ItemRefs, ItemResults>>of(
                r -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS).createSkus(r),
                r -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS).setAttributes(r),
                r -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS).initInventory(r),
                r -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS).setPrices(r),
                r -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS).markOnline(r))) {
            step.apply(refs).getResultsList().forEach(RedisFlushReconciliationTest::ok);
        }
        return items;
    }

    /** listing-service checks a listing's shop against its shop table (same test database). */
    private void knownShop() throws java.sql.SQLException {
        try (var c = db.getConnection();
             var ps = c.prepareStatement("INSERT INTO listing.shop (shop_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, shop);
            ps.setString(2, "flush test shop " + shop);
            ps.executeUpdate();
        }
    }

    private void transition(long task, String action, String operatorType) throws InterruptedException {
        retried(() -> listing.withDeadlineAfter(30, TimeUnit.SECONDS).transition(TransitionRequest.newBuilder().setTaskId(task).setAction(action)
                .setExpectedVersion(-1).setOperatorId(1).setOperatorType(operatorType).setAuditType("skip").build()));
    }

    /** Idempotent calls (request id, expected version -1) asked again while a cold peer answers UNAVAILABLE. */
    private static <T> T retried(Supplier<T> call) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (io.grpc.StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE || attempt == 5) {
                    throw e;
                }
                Thread.sleep(500L * attempt);
            }
        }
    }

    private static ItemResult ok(ItemResult r) {
        assertTrue(r.getOk(), r.getErrorCode() + " " + r.getErrorField() + " " + r.getErrorMessage());
        return r;
    }

    private JsonPath run(long runId) {
        return staff().get("/reconciliations/" + runId).then().statusCode(200).extract().jsonPath();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(200);
        }
    }

    /** An operator: catalogue:read and search:reconcile. */
    private static io.restassured.specification.RequestSpecification staff() {
        return given().header("Authorization", Tokens.bearer("operator", 7));
    }
}
