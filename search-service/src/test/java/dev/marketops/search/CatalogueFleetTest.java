package dev.marketops.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.catalog.RemoveTagsRequest;
import dev.marketops.proto.catalog.StockChange;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionRequest;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.projection.RedisProjection;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Against the real catalogue (listing-service + config-service as processes): items put
 * online through the catalogue's commands reach Redis and the index through the events;
 * status changes follow (and drop the L1 entry); reconciliation repairs injected drift.
 */
@QuarkusTest
@TestProfile(CatalogueFleetProfile.class)
class CatalogueFleetTest {

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @Inject
    RedisProjection projection;
    @Inject
    SearchIndex index;
    @Inject
    Redis redis;
    @Inject
    org.elasticsearch.client.RestClient es;
    @Inject
    io.agroal.api.AgroalDataSource db;
    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset") // a test profile without the resource must still boot
    String configUrl;

    // Generous deadlines: the peers are cold JVMs on a shared 2-core machine.
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CatalogueFleetTest.class);
    // The item's shop is the task's creator here: a fresh one isolates this run's items.
    private final long shop = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    // The item whose status moves lives in another shop: deleting it changes its SKUs
    // afterwards (listing-service's side effects), which is drift of its own.
    private final long otherShop = shop + 1;

    @Test
    void onlineItemsAreProjectedFollowStatusChangesAndDriftIsRepaired() throws Exception {
        // given: four approved listings made online through the catalogue's saga commands
        List<Long> items = new ArrayList<>(publish(shop, List.of(SampleListings.HOTEL, SampleListings.TOPUP, SampleListings.OPV)));
        long hotel = items.get(0), topup = items.get(1), deal = items.get(2); // "deal": the service voucher (quantity stock)
        long giftCard = publish(otherShop, List.of(SampleListings.GIFTCARD)).get(0);
        items.add(giftCard);

        // then: the workers put them into Redis and the index (from goods.status.changed)
        long online = System.nanoTime();
        await("projected in Redis", () -> items.stream().allMatch(id -> "online".equals(field(id, "status"))));
        long inRedis = System.nanoTime();
        await("findable in search", () -> search(Map.of("shopId", Long.toString(shop))).getLong("total") == 3
                && search(Map.of("shopId", Long.toString(otherShop))).getLong("total") == 1);
        LOG.infof("FIGURES MarkOnline -> Redis %d ms, -> search %d ms", (inRedis - online) / 1_000_000, (System.nanoTime() - online) / 1_000_000);
        JsonPath hotels = search(Map.of("shopId", Long.toString(shop), "categoryId", "2000"));
        assertEquals(List.of(hotel), hotels.getList("items.itemId", Long.class), "the travel subtree holds the hotel");
        staff().get("/items/" + giftCard).then().statusCode(200).body("status", equalTo("online")).body("servedFrom", equalTo("redis"));
        staff().get("/items/" + giftCard).then().statusCode(200).body("servedFrom", equalTo("l1"));

        // when: a price and a stock change in the catalogue (price.changed, inventory.changed)
        ok(catalog.withDeadlineAfter(30, TimeUnit.SECONDS).adjustPrices(AdjustPricesRequest.newBuilder().addChanges(PriceChange.newBuilder()
                .setItemId(topup).setField("sale_price").setMode("set").setValue(4100)).setOperatorId(1).setReason("search test").build())
                .getResults(0));
        ok(catalog.withDeadlineAfter(30, TimeUnit.SECONDS).adjustInventory(AdjustInventoryRequest.newBuilder().addChanges(StockChange.newBuilder()
                .setItemId(deal).setMode("set").setQuantity(77)).setOperatorId(1).setReason("search test").build()).getResults(0));
        // then: both projections follow
        await("new price in Redis", () -> "4100".equals(field(topup, "price")));
        await("new stock in Redis", () -> "77".equals(field(deal, "stock")));
        await("new price and stock in search", () -> search(Map.of("shopId", Long.toString(shop), "priceMin", "41", "priceMax", "41"))
                .getList("items.itemId", Long.class).equals(List.of(topup))
                && search(Map.of("shopId", Long.toString(shop), "stockMin", "77", "stockMax", "77")).getList("items.itemId", Long.class).equals(List.of(deal)));

        // when: the gift card goes offline (a goods.status.changed with a newer version)
        long before = Long.parseLong(field(giftCard, "version"));
        change(giftCard, "offline");
        await("offline in Redis", () -> "offline".equals(field(giftCard, "status")));
        assertTrue(Long.parseLong(field(giftCard, "version")) > before);
        await("offline in search", () -> search(Map.of("shopId", Long.toString(otherShop), "status", "offline"))
                .getList("items.itemId", Long.class).equals(List.of(giftCard)));
        await("L1 dropped by the event", () -> "offline".equals(staff().get("/items/" + giftCard).then().extract().path("status")));

        // and an older snapshot arriving late changes nothing
        ItemSnapshot now = catalog.withDeadlineAfter(30, TimeUnit.SECONDS).getItems(ItemRefs.newBuilder().addItemIds(giftCard).build()).getItems(0);
        ItemProjection older = ItemProjection.of(now.toBuilder().setVersion(now.getVersion() - 1).setStatus("online").build());
        assertEquals(0, projection.write(List.of(older), false));
        assertEquals(List.of(giftCard), index.bulkIndex(List.of(older), false).conflicts());
        assertEquals("offline", field(giftCard, "status"));

        // when: deleted, it stays findable as removed
        change(giftCard, "deleted");
        await("removed in Redis", () -> "removed".equals(field(giftCard, "status")));
        await("removed in search", () -> search(Map.of("shopId", Long.toString(otherShop), "status", "removed"))
                .getList("items.itemId", Long.class).equals(List.of(giftCard)));

        // when: drift is injected straight into Redis and the index
        send(Request.cmd(Command.HSET).arg(projection.key(hotel)).arg("price").arg("1"));
        send(Request.cmd(Command.DEL).arg(projection.key(topup)));
        ItemSnapshot dealNow = catalog.withDeadlineAfter(30, TimeUnit.SECONDS).getItems(ItemRefs.newBuilder().addItemIds(deal).addItemIds(topup).build()).getItems(0);
        assertEquals(1, index.bulkIndex(List.of(ItemProjection.of(dealNow.toBuilder().setTotalStock(4242).build())), true).written());
        ItemSnapshot topupNow = catalog.withDeadlineAfter(30, TimeUnit.SECONDS).getItems(ItemRefs.newBuilder().addItemIds(topup).build()).getItems(0);
        deleteDocument(topup, topupNow.getVersion());

        // and an operator starts a reconciliation of this shop
        long runId = staff().contentType("application/json").body(Map.of("shopId", shop)).post("/reconciliations")
                .then().statusCode(202).extract().jsonPath().getLong("runId");
        await("reconciliation finished", () -> !"running".equals(run(runId).getString("status")));

        // then: the report counts each kind of drift and names the items
        JsonPath report = run(runId);
        assertEquals("succeeded", report.getString("status"), report.prettify());
        assertEquals(7L, report.getLong("startedBy"), "the run records who started it, from the token");
        assertEquals("operator", report.getString("startedByRole"));
        assertEquals(3, report.getLong("scanned"));
        Map<String, Integer> counts = report.getMap("counts", String.class, Integer.class);
        assertEquals(Map.of("redis_missing", 1, "redis_price", 1, "redis_stock", 0, "redis_status", 0, "index_missing", 1,
                "index_price", 0, "index_stock", 1, "index_status", 0, "orphan", 0), counts);
        assertEquals(List.of(hotel), report.getList("samples.redis_price", Long.class));
        assertEquals(List.of(topup), report.getList("samples.redis_missing", Long.class));
        assertEquals(List.of(deal), report.getList("samples.index_stock", Long.class));
        assertEquals(List.of(topup), report.getList("samples.index_missing", Long.class));
        assertTrue(staff().get("/reconciliations").then().statusCode(200).extract().jsonPath()
                .getList("items.runId", Long.class).contains(runId));

        // and the projections say what the catalogue says again
        ItemSnapshot hotelNow = catalog.withDeadlineAfter(30, TimeUnit.SECONDS).getItems(ItemRefs.newBuilder().addItemIds(hotel).build()).getItems(0);
        assertEquals(Long.toString(hotelNow.getMinPriceCents()), field(hotel, "price"));
        assertEquals(Long.toString(topupNow.getTotalStock()), field(topup, "stock"));
        var docs = index.get(List.of(deal, topup));
        assertEquals(dealNow.getTotalStock(), docs.get(deal).path("stock").asLong());
        assertEquals(topupNow.getVersion(), docs.get(topup).path("_version").asLong());

        // and a reader that misses L1 and Redis is answered by the catalogue, which refills Redis
        send(Request.cmd(Command.DEL).arg(projection.key(hotel)));
        staff().get("/items/" + hotel).then().statusCode(200).body("servedFrom", equalTo("catalogue"))
                .body("priceCents", equalTo((int) hotelNow.getMinPriceCents()));
        assertEquals(Long.toString(hotelNow.getVersion()), field(hotel, "version"));
        staff().get("/items/" + Long.MAX_VALUE).then().statusCode(404).body("code", equalTo("ITEM_NOT_FOUND"));
    }

    @Test
    void tagChangesOfTheCatalogueReachRedisAndTheIndexAndRankByTagPriority() throws Exception {
        // given two online items of a fresh shop and two tags of the tag table
        long tagShop = shop + 2;
        List<Long> items = publish(tagShop, List.of(SampleListings.TOPUP, SampleListings.OPV));
        long topup = items.get(0), voucher = items.get(1);
        String run = Long.toString(tagShop, 36);
        String hot = tag("hot-" + run, "hot", 50), spring = tag("spring-" + run, "seasonal", 90);
        await("online in search", () -> search(Map.of("shopId", Long.toString(tagShop))).getLong("total") == 2);

        // when the catalogue tags both items hot and the voucher spring too (item.changed)
        ok(catalog.withDeadlineAfter(30, TimeUnit.SECONDS).addTags(AddTagsRequest.newBuilder().addItemIds(topup).addItemIds(voucher)
                .addTags(hot).setOperatorId(1).build()).getResults(1));
        ok(catalog.withDeadlineAfter(30, TimeUnit.SECONDS).addTags(AddTagsRequest.newBuilder().addItemIds(voucher)
                .addTags(spring).setOperatorId(1).build()).getResults(0));

        // then Redis and the index follow, and search filters by tag and ranks by the best tag's priority
        await("tags in Redis", () -> String.valueOf(field(voucher, "tags")).contains(spring) && String.valueOf(field(topup, "tags")).contains(hot));
        await("ranked by tag priority", () -> search(Map.of("shopId", Long.toString(tagShop), "tags", hot, "sort", "tag_priority"))
                .getList("items.itemId", Long.class).equals(List.of(voucher, topup)));
        assertEquals(List.of(voucher), search(Map.of("shopId", Long.toString(tagShop), "tags", hot + "," + spring))
                .getList("items.itemId", Long.class));

        // when spring is taken off the voucher again
        ok(catalog.withDeadlineAfter(30, TimeUnit.SECONDS).removeTags(RemoveTagsRequest.newBuilder().addItemIds(voucher)
                .addTags(spring).setOperatorId(1).build()).getResults(0));

        // then both projections drop it
        await("spring gone from Redis", () -> !String.valueOf(field(voucher, "tags")).contains(spring));
        await("spring gone from the index", () -> search(Map.of("shopId", Long.toString(tagShop), "tags", spring)).getLong("total") == 0);
        assertEquals(2L, search(Map.of("shopId", Long.toString(tagShop), "tags", hot)).getLong("total"));
    }

    /** A tag of config-service's tag table (the catalogue takes only its active codes). */
    private String tag(String code, String type, int priority) {
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).contentType("application/json")
                .body(Map.of("code", code, "name", code, "type", type, "priority", priority)).post("/tags").then().statusCode(201);
        return code;
    }

    private List<Long> publish(long shop, List<Long> categories) throws Exception {
        knownShop(shop);
        List<Long> tasks = new ArrayList<>();
        for (long category : categories) {
            CreateTaskRequest create = CreateTaskRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString()).setCategoryId(category).setTitle("Search sample " + category)
                    .setSourceType("operator_form").setSourceUserType("operator").setCreatorId(shop).setShopId(shop)
                    .setItemDataJson(JSON.writeValueAsString(SampleListings.itemData(category))).build();
            // Idempotent by request id, so a cold peer's time-out (UNAVAILABLE) is simply asked again.
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
            step.apply(refs).getResultsList().forEach(CatalogueFleetTest::ok);
        }
        return items;
    }

    /**
     * A service's listing names its shop, which listing-service checks against its shop table:
     * this run's fresh shops are registered there (same test database, listing's schema).
     */
    private void knownShop(long shopId) throws java.sql.SQLException {
        try (var c = db.getConnection(); var exists = c.prepareStatement("SELECT to_regclass('listing.shop') IS NOT NULL");
             var rs = exists.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return; // a listing-service from before shops: the creator is the shop
            }
            try (var ps = c.prepareStatement("INSERT INTO listing.shop (shop_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, shopId);
                ps.setString(2, "search test shop " + shopId);
                ps.executeUpdate();
            }
        }
    }

    private static <T> T retried(java.util.function.Supplier<T> call) throws InterruptedException {
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

    private void transition(long task, String action, String operatorType) throws InterruptedException {
        // UNAVAILABLE comes from listing-service's own config lookup before any change: safe to ask again.
        retried(() -> listing.withDeadlineAfter(30, TimeUnit.SECONDS).transition(TransitionRequest.newBuilder().setTaskId(task).setAction(action)
                .setExpectedVersion(-1).setOperatorId(1).setOperatorType(operatorType).setAuditType("skip").build()));
    }

    private void change(long item, String target) {
        catalog.withDeadlineAfter(30, TimeUnit.SECONDS).changeStatus(ChangeStatusRequest.newBuilder().addItemIds(item)
                .setTargetStatus(target).setOperatorType("operator").setOperatorId(1).setReason("search test").build())
                .getResultsList().forEach(CatalogueFleetTest::ok);
    }

    private String field(long item, String name) {
        Map<String, String> h = projection.read(List.of(item)).get(item);
        return h == null ? null : h.get(name);
    }

    private JsonPath search(Map<String, String> params) {
        return staff().queryParams(params).get("/search/items").then().statusCode(200).extract().jsonPath();
    }

    private JsonPath run(long runId) {
        return staff().get("/reconciliations/" + runId).then().statusCode(200).extract().jsonPath();
    }

    private void deleteDocument(long itemId, long version) {
        try {
            org.elasticsearch.client.Request r = new org.elasticsearch.client.Request("DELETE", "/" + index.name() + "/_doc/" + itemId);
            r.addParameter("version", Long.toString(version));
            r.addParameter("version_type", "external_gte");
            es.performRequest(r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void send(Request r) {
        redis.send(r).await().indefinitely();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** An operator: catalogue:read and search:reconcile. */
    private static io.restassured.specification.RequestSpecification staff() {
        return given().header("Authorization", Tokens.bearer("operator", 7));
    }
}
