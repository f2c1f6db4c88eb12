package dev.marketops.listing.catalogue;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builders for catalogue tests: approved listing tasks of a shop, and items taken through the publish saga. */
public final class CatalogueFixtures {

    private final AgroalDataSource ds;
    private final ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    private final CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    public CatalogueFixtures(AgroalDataSource ds, ListingCommandsGrpc.ListingCommandsBlockingStub listing,
                      CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog) {
        this.ds = ds;
        this.listing = listing;
        this.catalog = catalog;
    }

    static long newShopId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 2);
    }

    /**
     * A listing body of a merchant's shop (manual audit: no audit worker moves it while the test
     * does). The merchant of {@code shopId} creates it ({@link #approved}); its shopId may only repeat the token's.
     */
    public static Map<String, Object> listing(long categoryId, long shopId, Map<String, Object> itemData) {
        Map<String, Object> t = new HashMap<>();
        t.put("categoryId", categoryId);
        t.put("title", "Catalogue " + categoryId);
        t.put("sourceType", "merchant_portal");
        t.put("sourceUserType", "merchant");
        t.put("shopId", shopId);
        t.put("itemData", itemData == null ? SampleListings.itemData(categoryId) : itemData);
        return t;
    }

    /** Drafts, submits and approves the listings in three calls; answers their task ids. */
    public List<Long> approved(List<Map<String, Object>> listings, Long batchId) {
        List<Long> ids = submitted(listings, batchId);
        TransitionManyRequest.Builder approve = TransitionManyRequest.newBuilder().addAllTaskIds(ids).setAction("approve")
                .setOperatorType("auditor").setOperatorId(7).setAuditType("manual").setReason("looks fine");
        if (batchId != null) {
            approve.setBatchId(batchId);
        }
        TransitionManyReply approved = listing.transitionMany(approve.build());
        assertEquals(ids.size(), approved.getSucceeded(), approved.toString());
        return ids;
    }

    /** One merchant's listings created and submitted (PENDING_AUDIT, version 1). */
    public List<Long> submitted(List<Map<String, Object>> listings, Long batchId) {
        Object shop = listings.get(0).get("shopId");
        assertTrue(listings.stream().allMatch(l -> shop.equals(l.get("shopId"))), "one merchant's listings per call");
        Map<String, Object> body = new HashMap<>();
        List<Map<String, Object>> keyed = new ArrayList<>();
        for (Map<String, Object> l : listings) {
            Map<String, Object> k = new HashMap<>(l);
            k.put("idempotencyKey", java.util.UUID.randomUUID().toString());
            keyed.add(k);
        }
        body.put("tasks", keyed);
        if (batchId != null) {
            body.put("batchId", batchId);
        }
        // The shared machine is busy: a config-service lookup may time out (CONFIG_UNAVAILABLE); the keys make a retry safe.
        List<Long> ids = null;
        for (int attempt = 0; attempt < 5 && (ids == null || ids.contains(null)); attempt++) {
            ids = given().header("Authorization", Tokens.merchantBearer(42, (Long) shop)).contentType("application/json").body(body)
                    .post("/listings/batch").then().statusCode(200)
                    .extract().jsonPath().getList("results.taskId", Long.class);
        }
        assertTrue(!ids.contains(null), "drafts could not be created: " + ids);
        List<Long> pending = ids;
        for (int attempt = 0; attempt < 5 && !pending.isEmpty(); attempt++) {
            TransitionManyReply submitted = listing.transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(pending)
                    .setAction("submit").setOperatorType("merchant").build());
            pending = submitted.getResultsList().stream().filter(x -> !x.getOk()).map(x -> x.getTaskId()).toList();
        }
        assertTrue(pending.isEmpty(), "could not submit " + pending);
        return ids;
    }

    public List<Long> approved(long categoryId, long shopId, int n) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(listing(categoryId, shopId, null));
        }
        return approved(l, null);
    }

    /** Runs the six saga steps (as saga number 10^12 + task id); answers the item ids in task order. */
    public List<Long> publish(List<Long> taskIds) {
        ItemResults created = catalog.createItems(CreateItemsRequest.newBuilder().addAllTaskIds(taskIds).build());
        assertEquals(taskIds.size(), created.getSucceeded(), created.toString());
        List<Long> items = created.getResultsList().stream().map(ItemResult::getItemId).toList();
        ItemRefs refs = ItemRefs.newBuilder().addAllItemIds(items).build();
        for (ItemResults r : List.of(catalog.createSkus(refs), catalog.setAttributes(refs), catalog.initInventory(refs),
                catalog.setPrices(refs), catalog.markOnline(refs.toBuilder()
                        .addAllSagaIds(taskIds.stream().map(CatalogueFixtures::sagaOf).toList()).build()))) {
            assertTrue(r.getFailed() == 0, r.toString());
        }
        return items;
    }

    /** The saga number {@link #publish} runs a task's steps as. */
    public static long sagaOf(long taskId) {
        return 1_000_000_000_000L + taskId;
    }

    /** A tag of config-service's tag table (item tags must be its active codes) with a code of its own: {@code name}-random. */
    public static String tag(String configUrl, String name) {
        String code = name + "-" + ThreadLocalRandom.current().nextInt(100_000_000);
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).contentType("application/json")
                .body(Map.of("code", code, "name", code, "type", "hot", "priority", 10)).post("/tags").then().statusCode(201);
        return code;
    }

    public long count(String sql) {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String in(List<Long> ids) {
        return "(" + String.join(",", ids.stream().map(String::valueOf).toList()) + ")";
    }
}
