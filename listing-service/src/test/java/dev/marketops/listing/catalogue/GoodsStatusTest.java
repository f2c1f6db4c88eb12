package dev.marketops.listing.catalogue;

import static dev.marketops.listing.catalogue.CatalogueFixtures.in;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.platform.outbox.OutboxPublisher;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ChangeShopStatusReply;
import dev.marketops.proto.catalog.ChangeShopStatusRequest;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.events.GoodsStatusChangedEvent;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class GoodsStatusTest {

    @Inject
    AgroalDataSource ds;
    @Inject
    EventConsumer consumer;
    @Inject
    GoodsSideEffects sideEffects;
    @Inject
    ShopStatusService shops;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    CatalogueFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
    }

    private ItemResults change(List<Long> items, String target, String operatorType, long operatorId) {
        return catalog.changeStatus(ChangeStatusRequest.newBuilder().addAllItemIds(items).setTargetStatus(target)
                .setOperatorType(operatorType).setOperatorId(operatorId).setReason("test").build());
    }

    /** Calls as a service acting for a merchant user of shop {@code shop} (the actor travels in gRPC metadata). */
    static <T> T asMerchant(long userId, long shop, java.util.concurrent.Callable<T> call) {
        try {
            return ActorPropagation.callAs(new Actor(userId, Roles.MERCHANT, java.util.Set.of(Roles.MERCHANT), shop, null, null), call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ItemSnapshot item(long id) {
        return catalog.getItems(ItemRefs.newBuilder().addItemIds(id).build()).getItems(0);
    }

    private long statusEvents(long item) {
        return fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'goods.status.changed' AND msg_key = '" + item + "'");
    }

    private void sql(String statement) {
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute(statement);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void statusRulesOfTheSeedHoldPerItem() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> items = fx.publish(fx.approved(SampleListings.OPV, shop, 4));
        long a = items.get(0), b = items.get(1), c = items.get(2), d = items.get(3);
        ItemSnapshot before = item(a);

        ItemResults off = change(List.of(a), "offline", "operator", 5);
        assertTrue(off.getResults(0).getOk());
        assertEquals(before.getVersion() + 1, off.getResults(0).getItemVersion());
        ItemSnapshot offline = item(a);
        assertEquals("offline", offline.getStatus());
        assertTrue(offline.getLastOfflineAt() > 0);
        assertEquals(2, statusEvents(a), "online by the saga, then offline");
        assertTrue(change(List.of(a), "online", "operator", 5).getResults(0).getOk());
        ItemSnapshot back = item(a);
        assertEquals(before.getFirstOnlineAt(), back.getFirstOnlineAt(), "first online time is set once");
        assertTrue(back.getLastOnlineAt() >= before.getLastOnlineAt());
        assertEquals(1, fx.count("SELECT count(*) FROM goods_status_log WHERE to_status = 'offline' AND item_id = " + a));

        // the same status again is ok and changes nothing
        ItemResults same = change(List.of(a), "online", "operator", 5);
        assertTrue(same.getResults(0).getOk());
        assertEquals(3, statusEvents(a));

        // only risk control puts goods under risk control and takes them out again
        assertEquals("FORBIDDEN", change(List.of(b), "risk_control", "operator", 5).getResults(0).getErrorCode());
        assertTrue(change(List.of(b, c), "risk_control", "risk_control", 9).getResults(1).getOk());
        assertEquals("FORBIDDEN", change(List.of(b), "offline", "operator", 5).getResults(0).getErrorCode());
        assertEquals("FORBIDDEN", change(List.of(b), "online", "merchant", shop).getResults(0).getErrorCode());
        assertEquals("ILLEGAL_STATUS", change(List.of(b), "online", "risk_control", 9).getResults(0).getErrorCode());
        assertTrue(change(List.of(b), "offline", "risk_control", 9).getResults(0).getOk());
        // ...except that the merchant may delete it
        assertTrue(change(List.of(c), "deleted", "merchant", shop).getResults(0).getOk());
        assertEquals("ILLEGAL_STATUS", change(List.of(c), "online", "operator", 5).getResults(0).getErrorCode());

        // a merchant (the user a calling service acts for) only touches its own shop: another shop's
        // goods are not found for it, like unknown ids; results stay per item, in request order
        ItemResults mixed = asMerchant(77, shop + 1, () -> change(List.of(d, -1L), "offline", "merchant", 77));
        assertEquals("NOT_FOUND", mixed.getResults(0).getErrorCode());
        assertEquals("NOT_FOUND", mixed.getResults(1).getErrorCode());
        assertEquals(0, mixed.getSucceeded());
        assertEquals("online", item(d).getStatus());
        assertEquals(0, asMerchant(77, shop + 1, () -> catalog.getItems(ItemRefs.newBuilder().addItemIds(d).build())).getItemsCount());
        assertEquals(1, asMerchant(78, shop, () -> catalog.getItems(ItemRefs.newBuilder().addItemIds(d).build())).getItemsCount());

        // a dry run answers the same and keeps nothing
        ItemResults dry = catalog.changeStatus(ChangeStatusRequest.newBuilder().addItemIds(d).setTargetStatus("offline")
                .setOperatorType("operator").setDryRun(true).build());
        assertTrue(dry.getResults(0).getOk());
        assertEquals("online", item(d).getStatus());
    }

    @Test
    void sideEffectsFollowTheTargetAndTheOperator() throws Exception {
        long shop = CatalogueFixtures.newShopId();
        List<Long> items = fx.publish(fx.approved(SampleListings.OPV, shop, 3));
        long off = items.get(0), del = items.get(1), risk = items.get(2);
        long base = Math.abs(shop % 1_000_000_000L) * 10;
        sql("INSERT INTO campaign (campaign_id, name, presale, starts_at, ends_at) VALUES "
                + "(" + (base + 1) + ", 'future', true, now() + interval '2 days', now() + interval '5 days'), "
                + "(" + (base + 2) + ", 'running', true, now() - interval '1 day', now() + interval '1 day'), "
                + "(" + (base + 3) + ", 'ended', true, now() - interval '5 days', now() - interval '2 days')");
        for (long item : items) {
            sql("INSERT INTO showcase_link (showcase_id, item_id, shop_id) VALUES (" + base + ", " + item + ", " + shop + ")");
            sql("INSERT INTO category_link (item_id, category_id) VALUES (" + item + ", 1101)");
            for (int k = 1; k <= 3; k++) {
                sql("INSERT INTO campaign_item (campaign_id, item_id, presale) VALUES (" + (base + k) + ", " + item + ", true)");
            }
        }
        change(List.of(off), "offline", "operator", 5);
        change(List.of(del), "deleted", "operator", 5);
        change(List.of(risk), "risk_control", "risk_control", 9);
        await(() -> fx.count("SELECT count(DISTINCT item_id) FROM goods_side_effect WHERE item_id IN " + in(items)) == 3
                && fx.count("SELECT count(*) FROM goods_side_effect WHERE item_id = " + del) == 4, "side effects");

        for (long item : items) {
            assertEquals(1, fx.count("SELECT count(*) FROM showcase_link WHERE deleted_at IS NOT NULL AND item_id = " + item));
            assertEquals(1, fx.count("SELECT count(*) FROM campaign_item WHERE status = 'left' AND NOT presale AND campaign_id = "
                    + (base + 1) + " AND item_id = " + item), "a campaign that has not started is left");
            assertEquals(2, fx.count("SELECT count(*) FROM campaign_item WHERE status = 'active' AND presale AND item_id = " + item),
                    "a running campaign keeps the item; an ended one is left alone");
        }
        assertEquals(1, fx.count("SELECT count(*) FROM category_link WHERE deleted_at IS NOT NULL AND item_id = " + del));
        assertEquals(0, fx.count("SELECT count(*) FROM category_link WHERE deleted_at IS NOT NULL AND item_id IN (" + off + "," + risk + ")"),
                "category links go on delete only, never for risk control");
        assertEquals(1, fx.count("SELECT count(*) FROM sku WHERE status = 'deleted' AND item_id = " + del));
        assertEquals(0, fx.count("SELECT count(*) FROM sku WHERE status = 'deleted' AND item_id IN (" + off + "," + risk + ")"));
    }

    @Test
    void aRedeliveredStatusEventAppliesNothingTwice() throws Exception {
        long shop = CatalogueFixtures.newShopId();
        long item = fx.publish(fx.approved(SampleListings.OPV, shop, 1)).get(0);
        sql("INSERT INTO showcase_link (showcase_id, item_id, shop_id) VALUES (7, " + item + ", " + shop + ")");
        String eventId = UUID.randomUUID().toString();
        GoodsStatusChangedEvent e = GoodsStatusChangedEvent.newBuilder().setEventId(eventId).setItemId(item).setShopId(shop)
                .setFromStatus("online").setToStatus("offline").setOperatorType("operator").build();
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("goods.status.changed", 0, 0, Long.toString(item), e.toByteArray());
        record.headers().add(OutboxPublisher.HEADER_EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));

        assertEquals(EventConsumer.Outcome.APPLIED, consumer.process("redelivery-test", record,
                r -> sideEffects.apply(eventId, GoodsStatusChangedEvent.parseFrom(r.value()))));
        assertEquals(1, fx.count("SELECT count(*) FROM showcase_link WHERE deleted_at IS NOT NULL AND item_id = " + item));
        sql("UPDATE showcase_link SET deleted_at = NULL WHERE item_id = " + item); // would be removed again if re-applied
        assertEquals(EventConsumer.Outcome.DUPLICATE, consumer.process("redelivery-test", record,
                r -> sideEffects.apply(eventId, GoodsStatusChangedEvent.parseFrom(r.value()))));
        // even past the consumer's dedupe, each effect is recorded per event and not applied again
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            try {
                sideEffects.apply(eventId, e);
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        assertEquals(0, fx.count("SELECT count(*) FROM showcase_link WHERE deleted_at IS NOT NULL AND item_id = " + item));
        assertEquals(2, fx.count("SELECT count(*) FROM goods_side_effect WHERE event_id = '" + eventId + "'"));
    }

    /** Goods of a big shop, inserted directly (the saga is tested elsewhere): online, one under risk control, one deleted. */
    private long shopWithGoods(long shop, int online) {
        long base = Math.abs(shop % 1_000_000_000L) * 10_000;
        sql("INSERT INTO item (item_id, task_id, category_id, shop_id, title, status, version, source_type, inventory_model, price_model) "
                + "SELECT " + base + " + g, -(" + base + " + g), 1300, " + shop + ", 'goods ' || g, "
                + "CASE WHEN g = " + (online + 1) + " THEN 'risk_control' WHEN g = " + (online + 2) + " THEN 'deleted' ELSE 'online' END, "
                + "1, 'api', 'quantity', 'fixed' FROM generate_series(1, " + (online + 2) + ") g");
        return base;
    }

    @Test
    void aShopWithThreeThousandGoodsGoesOfflineInChunksOfFiveHundred() throws Exception {
        long shop = CatalogueFixtures.newShopId();
        long base = shopWithGoods(shop, 3000);
        String requestId = "shop-off-" + UUID.randomUUID();
        ChangeShopStatusRequest request = ChangeShopStatusRequest.newBuilder().setShopId(shop).setTargetStatus("offline")
                .setOperatorType("operator").setOperatorId(5).setReason("shop closed").setRequestId(requestId).build();
        ChangeShopStatusReply accepted = catalog.changeShopStatus(request);
        assertEquals(3001, accepted.getGoodsCount(), "non-deleted goods");
        assertTrue(catalog.changeShopStatus(request).getReplayed());
        assertEquals(1, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'goods.shop.status.requested' AND msg_key = '" + shop + "'"));

        await(() -> shops.progress(requestId).map(p -> "done".equals(p.status())).orElse(false), "the shop request to finish");
        ShopStatusService.Progress p = shops.progress(requestId).orElseThrow();
        assertEquals(3001, p.processed());
        assertEquals(3000, p.changed());
        assertEquals(1, p.skipped(), "risk control keeps its item");
        assertEquals(7, p.chunks());
        assertEquals(3000, fx.count("SELECT count(*) FROM item WHERE shop_id = " + shop + " AND status = 'offline' AND version = 2"
                + " AND last_offline_at IS NOT NULL AND first_online_at IS NULL"));
        assertEquals(1, fx.count("SELECT count(*) FROM item WHERE shop_id = " + shop + " AND status = 'risk_control'"));
        assertEquals(3000, fx.count("SELECT count(*) FROM goods_status_log WHERE request_id = '" + requestId + "'"));
        assertEquals(3000, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'goods.status.changed' AND msg_key::bigint BETWEEN "
                + (base + 1) + " AND " + (base + 3002)));

        given().header("Authorization", Tokens.bearer("operator", 5)).get("/shop-status-requests/" + requestId).then()
                .statusCode(200).body("status", equalTo("done"))
                .body("total", equalTo(3001)).body("changed", equalTo(3000));
    }

    @Test
    void anInterruptedShopRequestContinuesFromItsCursor() {
        long shop = CatalogueFixtures.newShopId();
        long base = shopWithGoods(shop, 1200);
        String requestId = "resume-" + UUID.randomUUID();
        // as left by a worker that stopped after its first chunk
        sql("INSERT INTO shop_status_request (request_id, shop_id, target_status, operator_type, status, total, processed, chunks, last_item_id, updated_at) "
                + "VALUES ('" + requestId + "', " + shop + ", 'offline', 'operator', 'running', 1201, 500, 1, " + (base + 500) + ", "
                + "now() - interval '10 minutes')");
        assertTrue(shops.stalled(java.time.Duration.ofMinutes(2), 10_000).contains(requestId), "the resume job would pick it up");
        shops.expand(requestId);
        ShopStatusService.Progress p = shops.progress(requestId).orElseThrow();
        assertEquals("done", p.status());
        assertEquals(1201, p.processed());
        assertEquals(700, p.changed());
        assertEquals(500, fx.count("SELECT count(*) FROM item WHERE shop_id = " + shop + " AND status = 'online'"),
                "the first chunk is not applied again");
        shops.expand(requestId); // a redelivery of a finished request does nothing
        assertEquals(1201, shops.progress(requestId).orElseThrow().processed());
    }

    @Test
    void operatorsUseRestWithTheirTokens() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> items = fx.publish(fx.approved(SampleListings.HOTEL, shop, 2));
        long a = items.get(0);
        String operator = Tokens.bearer("operator", 5);
        String ownMerchant = Tokens.merchantBearer(61, shop);
        String otherMerchant = Tokens.merchantBearer(62, shop + 1);
        given().header("Authorization", operator).get("/items/" + a).then().statusCode(200).body("status", equalTo("online"))
                .body("shopId", equalTo(String.valueOf(shop))).body("skus[0].calendar.size()", equalTo(2)).body("attributes.bed_type", equalTo("king"));
        given().header("Authorization", operator).get("/items/-1").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("UNKNOWN_ITEM"));
        given().header("Authorization", operator).queryParam("shopId", shop).queryParam("status", "online").get("/items").then()
                .statusCode(200).body("total", equalTo(2)).body("items.size()", equalTo(2));
        // a merchant reads its own shop's goods only: another shop's item is unknown to it
        given().header("Authorization", ownMerchant).get("/items/" + a).then().statusCode(200);
        given().header("Authorization", otherMerchant).get("/items/" + a).then().statusCode(404).body("code", equalTo("UNKNOWN_ITEM"));
        given().header("Authorization", ownMerchant).queryParam("status", "online").get("/items").then().statusCode(200)
                .body("total", equalTo(2));
        given().header("Authorization", otherMerchant).get("/items").then().statusCode(200).body("items.itemId", not(hasItem(String.valueOf(a))));
        given().header("Authorization", otherMerchant).queryParam("shopId", shop).get("/items").then().statusCode(400)
                .body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("shopId"));

        Map<String, Object> offline = Map.of("itemIds", List.of(a), "targetStatus", "offline", "reason", "bad photos");
        given().contentType("application/json").body(offline).post("/items/status").then().statusCode(401)
                .body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", otherMerchant).contentType("application/json").body(offline)
                .post("/items/status").then().statusCode(200).body("failed", equalTo(1)).body("results[0].errorCode", equalTo("NOT_FOUND"));
        given().header("Authorization", operator).contentType("application/json")
                .body(Map.of("itemIds", List.of(a), "targetStatus", "risk_control", "operatorType", "risk_control"))
                .post("/items/status").then().statusCode(400).body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("operatorType"));
        given().header("Authorization", Tokens.bearer("auditor", 3)).contentType("application/json").body(offline)
                .post("/items/status").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        given().header("Authorization", Tokens.bearer("risk_control", 9)).contentType("application/json")
                .body(Map.of("itemIds", List.of(a), "targetStatus", "risk_control")).post("/items/status").then().statusCode(200)
                .body("succeeded", equalTo(1));
        given().header("Authorization", ownMerchant).contentType("application/json").body(offline)
                .post("/items/status").then().statusCode(200).body("results[0].errorCode", equalTo("FORBIDDEN"));
        given().header("Authorization", operator).contentType("application/json")
                .body(Map.of("itemIds", List.of(a), "targetStatus", "gone")).post("/items/status").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("target_status"));

        // a whole shop is operators' and risk control's business (SHOP_STATUS), not a merchant's
        given().header("Authorization", ownMerchant).contentType("application/json")
                .body(Map.of("targetStatus", "offline")).post("/shops/" + shop + "/status").then().statusCode(403);
        String requestId = given().header("Authorization", operator).contentType("application/json")
                .body(Map.of("targetStatus", "offline", "requestId", "rest-" + shop)).post("/shops/" + shop + "/status").then()
                .statusCode(202).body("goodsCount", equalTo(2)).extract().jsonPath().getString("requestId");
        given().header("Authorization", operator).get("/shop-status-requests/" + requestId).then().statusCode(200)
                .body("shopId", equalTo(String.valueOf(shop)));
        given().header("Authorization", operator).get("/shop-status-requests/nope").then().statusCode(404)
                .body("code", equalTo("UNKNOWN_REQUEST"));
        given().header("Authorization", operator).queryParam("page", 51).queryParam("size", 200).get("/items").then()
                .statusCode(400).body("code", equalTo("INVALID_FIELD")).body("field", equalTo("page"));
    }
}
