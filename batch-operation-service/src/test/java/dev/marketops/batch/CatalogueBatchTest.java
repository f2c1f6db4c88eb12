package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches against the real catalogue (listing-service as a process), through REST with real files. */
@QuarkusTest
@QuarkusTestResource(value = CatalogueFleet.class, restrictToAnnotatedClass = true)
class CatalogueBatchTest {

    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @ConfigProperty(name = "marketops.test.listing-url", defaultValue = "unset")
    String listingUrl;

    final long operator = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);
    CatalogueItems items;

    @BeforeEach
    void fixtures() {
        items = new CatalogueItems(listingUrl, listing, catalog);
    }

    JsonPath upload(String name, byte[] file, String type, String params, boolean dryRun) {
        var req = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("file", name, file)
                .multiPart("operationType", type).multiPart("dryRun", String.valueOf(dryRun));
        if (params != null) {
            req.multiPart("params", params);
        }
        return req.post("/batches").then().statusCode(201).extract().jsonPath();
    }

    JsonPath awaitFinished(long id) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonPath b = given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id)
                    .then().statusCode(200).extract().jsonPath();
            if (List.of("completed", "partial_success", "failed", "cancelled").contains(b.getString("status"))) {
                return b;
            }
            assertTrue(System.currentTimeMillis() < deadline, "batch " + id + " still " + b.getString("status"));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    JsonPath itemsOf(long id) {
        return given().header("Authorization", Tokens.bearer("operator", operator)).queryParam("size", 200)
                .get("/batches/" + id + "/items").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void goodsGoOfflineByIdsWithBeforeAndAfterAndTheUndoPutsThemBack() {
        // given three online items and a sheet taking two offline, with one unknown id
        List<Long> ids = items.online(SampleListings.TOPUP, 3);
        byte[] sheet = Sheets.xlsx(new Object[]{"item_id", "target_status", "reason"},
                new Object[]{ids.get(0), "offline", "season over"},
                new Object[]{ids.get(1), "offline", "season over"},
                new Object[]{999_999_999_999L, "offline", "typo"});

        // when a dry run is uploaded, then it reports what would change and changes nothing
        long dry = upload("status.xlsx", sheet, "status_change", null, true).getLong("batch.batchId");
        assertEquals("partial_success", awaitFinished(dry).getString("status"));
        assertEquals("online", items.read(ids).get(ids.get(0)).getStatus());

        // when it is run for real (same file again: forced), then the two go offline and the unknown id fails
        long id = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("file", "status.xlsx", sheet)
                .multiPart("operationType", "status_change").multiPart("force", "true").post("/batches").then()
                .statusCode(201).extract().jsonPath().getLong("batch.batchId");
        JsonPath done = awaitFinished(id);
        assertEquals("partial_success", done.getString("status"));
        assertEquals(2, done.getInt("successCount"));
        assertEquals(1, done.getInt("failedCount"));
        assertEquals("offline", items.read(ids).get(ids.get(0)).getStatus());
        assertEquals("online", items.read(ids).get(ids.get(2)).getStatus());
        JsonPath rows = itemsOf(id);
        assertEquals("online", rows.getString("items[0].before.status"));
        assertEquals("offline", rows.getString("items[0].after.status"));
        assertEquals("NOT_FOUND", rows.getString("items[2].errorCode"));

        // when the batch is undone, then a new batch puts both back online
        long undo = given().header("Authorization", Tokens.bearer("operator", operator)).post("/batches/" + id + "/undo")
                .then().statusCode(201).extract().jsonPath().getLong("batchId");
        JsonPath undone = awaitFinished(undo);
        assertEquals("completed", undone.getString("status"), undone.prettify());
        assertEquals(id, undone.getLong("undoOf"));
        assertEquals("online", items.read(ids).get(ids.get(0)).getStatus());
        assertEquals("online", items.read(ids).get(ids.get(1)).getStatus());
    }

    @Test
    void pricesChangeOncePerRowAndTheUndoReportsConflicts() {
        Assumptions.assumeTrue(implemented(), "listing-service does not implement AdjustPrices yet");
        List<Long> ids = items.online(SampleListings.TOPUP, 2);
        long before = items.read(ids).get(ids.get(0)).getSkus(0).getSalePriceCents();
        byte[] csv = Sheets.csv("item_id,mode,value", ids.get(0) + ",add,0.3", ids.get(1) + ",add,-0.5");
        // (a top-up of 49.50 with face value 50: +0.3 fits, more would be SALE_ABOVE_FACE)
        long id = upload("p.csv", csv, "price_adjust", null, false).getLong("batch.batchId");
        JsonPath done = awaitFinished(id);
        assertEquals("completed", done.getString("status"), itemsOf(id).prettify());
        assertEquals(before + 30, items.read(ids).get(ids.get(0)).getSkus(0).getSalePriceCents());
        byte[] result = given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id + "/result.xlsx")
                .then().statusCode(200).extract().asByteArray();
        assertNotNull(result);

        // someone changes the second item's price since; the undo puts the first back and reports the second
        catalog.adjustPrices(AdjustPricesRequest.newBuilder().addChanges(dev.marketops.proto.catalog.PriceChange.newBuilder()
                .setItemId(ids.get(1)).setMode("add").setValue(7)).setConfirmed(true).build());
        long undo = given().header("Authorization", Tokens.bearer("operator", operator)).post("/batches/" + id + "/undo")
                .then().statusCode(201).extract().jsonPath().getLong("batchId");
        JsonPath undone = awaitFinished(undo);
        assertEquals("partial_success", undone.getString("status"));
        assertEquals(before, items.read(ids).get(ids.get(0)).getSkus(0).getSalePriceCents());
        List<String> codes = new ArrayList<>(itemsOf(undo).getList("items.errorCode"));
        assertTrue(codes.contains("CONFLICT"), codes.toString());
    }

    private boolean implemented() {
        try {
            catalog.adjustPrices(AdjustPricesRequest.newBuilder().setDryRun(true).build());
            return true;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() != Status.Code.UNIMPLEMENTED;
        }
    }
}
