package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** history_restore: a set of goods back as it was at time T after a price batch and an edit batch; dry run first; undo. */
@QuarkusTest
@QuarkusTestResource(value = CatalogueFleet.class, restrictToAnnotatedClass = true)
class HistoryRestoreBatchTest {

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

    private long upload(byte[] sheet, String type, String params, boolean dryRun) {
        var req = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("operationType", type)
                .multiPart("dryRun", String.valueOf(dryRun)).multiPart("force", "true").multiPart("confirm", "true");
        if (sheet != null) {
            req.multiPart("file", type + ".xlsx", sheet);
        }
        if (params != null) {
            req.multiPart("params", params);
        }
        return req.post("/batches").then().statusCode(201).extract().jsonPath().getLong("batch.batchId");
    }

    private JsonPath awaitFinished(long id) {
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            JsonPath b = given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id)
                    .then().statusCode(200).extract().jsonPath();
            if (List.of("completed", "partial_success", "failed", "cancelled").contains(b.getString("status"))) {
                return b;
            }
            assertTrue(System.currentTimeMillis() < deadline, "batch " + id + " still " + b.getString("status"));
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static Map<Long, String> values(Map<Long, ItemSnapshot> s) {
        return s.values().stream().collect(Collectors.toMap(ItemSnapshot::getItemId, i -> i.getTitle() + "|" + i.getAttributesJson()
                + "|" + i.getSkusList().stream().map(k -> k.getSkuCode() + "=" + k.getSalePriceCents()).toList()));
    }

    @Test
    void goodsGoBackToTimeTAfterAPriceAndAnEditBatchAndTheUndoPutsTheEditsBack() throws Exception {
        int n = Integer.getInteger("history.restore.n", 300); // the 1,000: -Dhistory.restore.n=1000
        List<Long> ids = new ArrayList<>(items.online(SampleListings.OPV, n / 2));
        ids.addAll(items.online(SampleListings.OPV, n / 2));
        Map<Long, String> atT = values(items.read(ids));
        Thread.sleep(50);
        Instant t = Instant.now();
        Thread.sleep(50);

        Object[][] prices = new Object[n + 1][];
        Object[][] edits = new Object[n + 1][];
        prices[0] = new Object[] {"item_id", "mode", "value"};
        edits[0] = new Object[] {"item_id", "title", "valid_days"};
        for (int i = 0; i < n; i++) {
            prices[i + 1] = new Object[] {String.valueOf(ids.get(i)), "add", 1 + (i % 7)};
            edits[i + 1] = new Object[] {String.valueOf(ids.get(i)), "Edited " + i, 31 + (i % 3)};
        }
        assertEquals("completed", awaitFinished(upload(Sheets.xlsx(prices), "price_adjust", null, false)).getString("status"));
        assertEquals("completed", awaitFinished(upload(Sheets.xlsx(edits), "item_edit", null, false)).getString("status"));
        Map<Long, String> edited = values(items.read(ids));
        assertTrue(edited.get(ids.get(0)).startsWith("Edited 0|"), edited.get(ids.get(0)));

        String params = "{\"at\": \"" + t + "\"}";
        Object[][] set = new Object[n + 1][];
        set[0] = new Object[] {"item_id"};
        for (int i = 0; i < n; i++) {
            set[i + 1] = new Object[] {String.valueOf(ids.get(i))}; // ids as text cells: a number cell rounds them
        }
        byte[] sheet = Sheets.xlsx(set);
        // Dry run: every product's diff shown, nothing changed.
        long dry = upload(sheet, "history_restore", params, true);
        JsonPath dryDone = awaitFinished(dry);
        assertEquals("completed", dryDone.getString("status"), dryDone.prettify());
        assertEquals(n, dryDone.getInt("successCount"));
        JsonPath dryRows = given().header("Authorization", Tokens.bearer("operator", operator)).queryParam("size", 5)
                .get("/batches/" + dry + "/items").then().statusCode(200).extract().jsonPath();
        assertTrue(dryRows.getString("items[0].after").contains("title"), dryRows.prettify());
        assertEquals(edited, values(items.read(ids)));

        long restore = upload(sheet, "history_restore", params, false);
        JsonPath done = awaitFinished(restore);
        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals(n, done.getInt("successCount"));
        assertEquals(atT, values(items.read(ids)), "exactly the values of time T");

        long undo = given().header("Authorization", Tokens.bearer("operator", operator)).post("/batches/" + restore + "/undo")
                .then().statusCode(201).extract().jsonPath().getLong("batchId");
        JsonPath undone = awaitFinished(undo);
        assertEquals("completed", undone.getString("status"), undone.prettify());
        assertEquals(edited, values(items.read(ids)), "the undo puts the edited values back");
    }
}
