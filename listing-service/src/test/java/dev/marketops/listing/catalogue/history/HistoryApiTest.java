package dev.marketops.listing.catalogue.history;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.listing.catalogue.CatalogueFixtures;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.EditItemsRequest;
import dev.marketops.proto.catalog.ItemEdit;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history's REST face: query, diff, rollback, who may read what, masking and the access log. */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class HistoryApiTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    CatalogueFixtures fx;
    HistoryFixtures h;

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
        h = new HistoryFixtures(ds);
    }

    private ItemSnapshot item(long id) {
        return catalog.getItems(ItemRefs.newBuilder().addItemIds(id).build()).getItems(0);
    }

    private static io.restassured.specification.RequestSpecification as(String bearer) {
        return given().header("Authorization", bearer).contentType("application/json");
    }

    /** A deal (face value + sale price) changed three times: price, title, attribute. Versions 1..4. */
    private long dealWithThreeChanges(long shop) {
        long id = fx.publish(fx.approved(SampleListings.DEAL, shop, 1)).get(0);
        HistoryFixtures.as(61, Roles.OPERATOR, "Pat", null, null, () -> catalog.adjustPrices(AdjustPricesRequest.newBuilder()
                .addChanges(PriceChange.newBuilder().setItemId(id).setMode("set").setValue(7000)).build()));
        HistoryFixtures.as(62, Roles.OPERATOR, null, null, null, () -> catalog.editItems(EditItemsRequest.newBuilder()
                .addEdits(ItemEdit.newBuilder().setItemId(id).setTitle("Dinner for two")).build()));
        HistoryFixtures.as(63, Roles.OPERATOR, null, null, null, () -> catalog.editItems(EditItemsRequest.newBuilder()
                .addEdits(ItemEdit.newBuilder().setItemId(id).setAttributesJson("{\"valid_days\":45}")).build()));
        assertEquals(4, h.rows(id).size());
        return id;
    }

    @Test
    void newestFirstWithKeysetPagesFiltersAndMerchantScope() {
        long shop = HistoryFixtures.newShopId();
        long id = dealWithThreeChanges(shop);
        JsonPath first = as(Tokens.bearer("operator", 42)).queryParam("size", 3).get("/items/" + id + "/history")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(4, 3, 2), first.getList("items.versionNumber", Integer.class));
        assertEquals(String.valueOf(id), first.getString("items[0].productId"), "ids are strings");
        String cursor = first.getString("nextCursor");
        assertNotNull(cursor);
        JsonPath second = as(Tokens.bearer("operator", 42)).queryParam("size", 3).queryParam("cursor", cursor)
                .get("/items/" + id + "/history").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1), second.getList("items.versionNumber", Integer.class));
        assertNull(second.getString("nextCursor"));

        assertEquals(List.of("PRICE"), as(Tokens.bearer("operator", 42)).queryParam("changeType", "price")
                .get("/items/" + id + "/history").then().statusCode(200).extract().jsonPath().getList("items.changeType"));
        assertEquals(List.of(3), as(Tokens.bearer("operator", 42)).queryParam("operatorId", 62).queryParam("shopId", shop)
                .get("/history").then().statusCode(200).extract().jsonPath().getList("items.versionNumber", Integer.class));
        JsonPath cross = as(Tokens.bearer("operator", 42)).queryParam("shopId", shop).queryParam("size", 2).get("/history")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(4, 3), cross.getList("items.versionNumber", Integer.class));
        assertEquals(List.of(2, 1), as(Tokens.bearer("operator", 42)).queryParam("shopId", shop).queryParam("size", 2)
                .queryParam("cursor", cross.getString("nextCursor")).get("/history").then().statusCode(200).extract().jsonPath()
                .getList("items.versionNumber", Integer.class));

        // The merchant of the shop sees its product; another merchant does not; a role without the permission is refused.
        as(Tokens.merchantBearer(5, shop)).get("/items/" + id + "/history").then().statusCode(200);
        as(Tokens.merchantBearer(5, shop + 1)).get("/items/" + id + "/history").then().statusCode(404);
        assertEquals(0, as(Tokens.merchantBearer(5, shop + 1)).queryParam("productId", id).get("/history").then().statusCode(200)
                .extract().jsonPath().getList("items").size());
        as(Tokens.bearer("supplier_admin", 9)).get("/items/" + id + "/history").then().statusCode(403);
        as(Tokens.bearer("operator", 42)).get("/history/access-log").then().statusCode(200);
        as(Tokens.merchantBearer(5, shop)).get("/history/access-log").then().statusCode(403);
        as(Tokens.bearer("operator", 42)).queryParam("changeType", "NOPE").get("/history").then().statusCode(400);
    }

    @Test
    void sensitiveFieldsAreMaskedWithoutThePermissionAndReadsAreLogged() {
        long shop = HistoryFixtures.newShopId();
        long id = dealWithThreeChanges(shop);
        long reader = 4_000_000 + (System.nanoTime() % 1_000_000);
        JsonPath op = as(Tokens.bearer("operator", reader)).get("/items/" + id + "/history").then().statusCode(200).extract().jsonPath();
        assertTrue(op.getBoolean("masked"));
        Map<String, Object> published = op.getMap("items[3].newValue");
        published.forEach((path, v) -> {
            if (path.endsWith("face_value_cents")) {
                assertEquals(HistoryProtection.MASK, v, path);
            }
        });
        assertTrue(published.keySet().stream().anyMatch(p -> p.endsWith("face_value_cents")), published.toString());
        JsonPath admin = as(Tokens.bearer("admin", 1)).get("/items/" + id + "/history").then().statusCode(200).extract().jsonPath();
        Map<String, Object> unmasked = admin.getMap("items[3].newValue");
        unmasked.forEach((path, v) -> {
            if (path.endsWith("face_value_cents")) {
                assertEquals(10000, ((Number) v).intValue(), path);
            }
        });
        JsonPath log = as(Tokens.bearer("admin", 1)).queryParam("userId", reader).get("/history/access-log").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, log.getList("$").size(), log.prettify());
        assertEquals("read", log.getString("[0].action"));
        assertEquals(String.valueOf(id), log.getString("[0].filter.productId"));
        assertEquals(4, log.getInt("[0].rowsSeen"));
    }

    @Test
    void diffListsEveryChangedFieldAsJsonAndLines() {
        long id = dealWithThreeChanges(HistoryFixtures.newShopId());
        JsonPath d = as(Tokens.bearer("admin", 1)).queryParam("from", 1).queryParam("to", 4).get("/items/" + id + "/history/diff")
                .then().statusCode(200).extract().jsonPath();
        List<String> paths = d.getList("changes.path");
        assertTrue(paths.contains("title"), paths.toString());
        assertTrue(paths.contains("attributes.valid_days"), paths.toString());
        assertTrue(paths.stream().anyMatch(p -> p.endsWith(".sale_price_cents")), paths.toString());
        assertEquals(paths.size(), d.getList("lines").size());
        assertTrue(d.getList("lines", String.class).stream().anyMatch(l -> l.startsWith("title: ") && l.endsWith("→ Dinner for two")),
                d.getList("lines").toString());
        JsonPath none = as(Tokens.bearer("admin", 1)).queryParam("from", 3).queryParam("to", 4).get("/items/" + id + "/history/diff")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("attributes.valid_days"), none.getList("changes.path"));
    }

    @Test
    void rollbackRestoresTheValuesAsANewVersionAndIsRefusedWhenTheStateForbids() {
        long shop = HistoryFixtures.newShopId();
        long id = dealWithThreeChanges(shop);
        ItemSnapshot before = item(id);
        // A dry run shows what would change and changes nothing.
        JsonPath dry = as(Tokens.bearer("operator", 42)).body(Map.of("toVersion", 1, "dryRun", true))
                .post("/items/" + id + "/history/rollback").then().statusCode(200).extract().jsonPath();
        assertEquals(false, dry.getBoolean("applied"));
        assertTrue(dry.getList("changes.path").contains("title"));
        assertEquals(before.getVersion(), item(id).getVersion());
        assertEquals(4, h.rows(id).size());
        // A stale expected version is a conflict.
        as(Tokens.bearer("operator", 42)).body(Map.of("toVersion", 1, "expectedVersion", before.getVersion() - 1))
                .post("/items/" + id + "/history/rollback").then().statusCode(409);

        JsonPath done = as(Tokens.bearer("operator", 42)).body(Map.of("toVersion", 1, "expectedVersion", before.getVersion(),
                "reason", "bad edits")).post("/items/" + id + "/history/rollback").then().statusCode(200).extract().jsonPath();
        assertTrue(done.getBoolean("applied"));
        ItemSnapshot after = item(id);
        assertEquals("Catalogue " + SampleListings.DEAL, after.getTitle());
        assertEquals(8800, after.getSkus(0).getSalePriceCents());
        assertTrue(after.getAttributesJson().contains("\"valid_days\":90"), after.getAttributesJson());
        Map<String, Object> rb = h.last(id);
        assertEquals(5L, ((Number) rb.get("version_number")).longValue());
        assertEquals("ROLLBACK", rb.get("change_type"));
        assertEquals("bad edits", rb.get("change_reason"));
        assertEquals(42L, ((Number) rb.get("operator_id")).longValue());

        // A deleted product is not rolled back.
        catalog.changeStatus(ChangeStatusRequest.newBuilder().addItemIds(id).setTargetStatus("deleted").setOperatorType("operator")
                .setOperatorId(42).build());
        assertEquals("ILLEGAL_STATUS", as(Tokens.bearer("operator", 42)).body(Map.of("toVersion", 2))
                .post("/items/" + id + "/history/rollback").then().statusCode(409).extract().jsonPath().getString("code"));
        as(Tokens.bearer("auditor", 3)).body(Map.of("toVersion", 2)).post("/items/" + id + "/history/rollback").then().statusCode(403);
    }
}
