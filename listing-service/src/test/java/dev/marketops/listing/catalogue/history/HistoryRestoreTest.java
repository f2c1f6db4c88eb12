package dev.marketops.listing.catalogue.history;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.catalog.RestoreItemsRequest;
import dev.marketops.proto.catalog.RestoreTarget;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Point-in-time restore of a set (RestoreItems), its dry run, conflicts and undo; export of the history. */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class HistoryRestoreTest {

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

    private Map<Long, ItemSnapshot> items(List<Long> ids) {
        return catalog.getItems(ItemRefs.newBuilder().addAllItemIds(ids).build()).getItemsList().stream()
                .collect(Collectors.toMap(ItemSnapshot::getItemId, s -> s));
    }

    private long dbNowMillis() {
        return h.one("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint");
    }

    private RestoreItemsRequest atTime(List<Long> ids, long at, boolean dryRun) {
        RestoreItemsRequest.Builder r = RestoreItemsRequest.newBuilder().setBatchId(777).setReason("back to T").setDryRun(dryRun);
        for (int i = 0; i < ids.size(); i++) {
            r.addTargets(RestoreTarget.newBuilder().setIndex(i).setItemId(ids.get(i)).setAtTimeMillis(at));
        }
        return r.build();
    }

    @Test
    void restoreASetToAPointInTimeAfterAPriceBatchAndAnEditBatchWithDryRunConflictsAndUndo() throws Exception {
        long shop = HistoryFixtures.newShopId();
        int n = 200;
        List<Long> ids = fx.publish(fx.approved(SampleListings.OPV, shop, n));
        Map<Long, ItemSnapshot> atT = items(ids);
        Thread.sleep(5);
        long t = dbNowMillis();
        Thread.sleep(5);

        AdjustPricesRequest.Builder prices = AdjustPricesRequest.newBuilder().setBatchId(501);
        EditItemsRequest.Builder edits = EditItemsRequest.newBuilder().setBatchId(502);
        for (int i = 0; i < n; i++) {
            prices.addChanges(PriceChange.newBuilder().setIndex(i).setItemId(ids.get(i)).setMode("add").setValue(100 + i));
            edits.addEdits(ItemEdit.newBuilder().setIndex(i).setItemId(ids.get(i)).setTitle("Edited " + i)
                    .setAttributesJson("{\"valid_days\":" + (31 + i % 5) + "}"));
        }
        assertEquals(n, HistoryFixtures.as(11, Roles.OPERATOR, null, null, null, () -> catalog.adjustPrices(prices.build())).getSucceeded());
        assertEquals(n, HistoryFixtures.as(12, Roles.OPERATOR, null, null, null, () -> catalog.editItems(edits.build())).getSucceeded());
        long deleted = ids.get(n - 1);
        catalog.changeStatus(ChangeStatusRequest.newBuilder().addItemIds(deleted).setTargetStatus("deleted").setOperatorType("operator")
                .setOperatorId(1).build());
        Map<Long, ItemSnapshot> edited = items(ids);

        // Dry run: every product's diff, nothing changed.
        ItemResults dry = catalog.restoreItems(atTime(ids, t, true));
        assertEquals(n - 1, dry.getSucceeded(), dry.getResultsList().stream().filter(r -> !r.getOk()).toList().toString());
        ItemResult first = dry.getResults(0);
        assertTrue(first.getBeforeJson().contains("Edited 0") && first.getAfterJson().contains(atT.get(ids.get(0)).getTitle()),
                first.toString());
        assertTrue(first.getAfterJson().contains("sale_price_cents") && first.getAfterJson().contains("attributes.valid_days"), first.toString());
        assertEquals("ILLEGAL_STATUS", dry.getResults(n - 1).getErrorCode(), "a deleted product is a conflict, not restored");
        assertEquals(edited.get(ids.get(0)).getVersion(), items(List.of(ids.get(0))).get(ids.get(0)).getVersion());
        assertEquals(3, h.rows(ids.get(0)).size(), "a dry run writes no history");

        ItemResults applied = HistoryFixtures.as(13, Roles.OPERATOR, null, null, null, () -> catalog.restoreItems(atTime(ids, t, false)));
        assertEquals(n - 1, applied.getSucceeded());
        Map<Long, ItemSnapshot> restored = items(ids);
        for (long id : ids.subList(0, n - 1)) {
            ItemSnapshot was = atT.get(id), now = restored.get(id);
            assertEquals(was.getTitle(), now.getTitle());
            assertEquals(was.getAttributesJson(), now.getAttributesJson());
            assertEquals(was.getSkusList().stream().map(s -> s.getSkuCode() + "=" + s.getSalePriceCents() + "/" + s.getStock()).toList(),
                    now.getSkusList().stream().map(s -> s.getSkuCode() + "=" + s.getSalePriceCents() + "/" + s.getStock()).toList());
            Map<String, Object> rb = h.last(id);
            assertEquals("ROLLBACK", rb.get("change_type"));
            assertEquals(13L, ((Number) rb.get("operator_id")).longValue());
            assertEquals(777L, ((Number) rb.get("batch_id")).longValue());
            assertEquals(4, h.rows(id).size());
        }
        // Restoring again to the same time changes nothing more.
        ItemResults again = catalog.restoreItems(atTime(ids.subList(0, 3), t, false));
        assertEquals(3, again.getSucceeded());
        assertEquals(4, h.rows(ids.get(0)).size());

        // Undo: the values the restore replaced, refused where the product changed since.
        long moved = ids.get(1);
        catalog.editItems(EditItemsRequest.newBuilder().addEdits(ItemEdit.newBuilder().setItemId(moved).setTitle("Changed since")).build());
        RestoreItemsRequest.Builder undo = RestoreItemsRequest.newBuilder().setBatchId(778);
        for (int i = 0; i < 3; i++) {
            ItemResult r = applied.getResults(i);
            undo.addTargets(RestoreTarget.newBuilder().setIndex(i).setItemId(r.getItemId()).setValuesJson(r.getBeforeJson())
                    .setExpectedJson(r.getAfterJson()));
        }
        ItemResults undone = catalog.restoreItems(undo.build());
        assertTrue(undone.getResults(0).getOk());
        assertEquals("CONFLICT", undone.getResults(1).getErrorCode());
        assertEquals("Edited 0", items(List.of(ids.get(0))).get(ids.get(0)).getTitle());
        assertEquals(edited.get(ids.get(2)).getSkus(0).getSalePriceCents(), items(List.of(ids.get(2))).get(ids.get(2)).getSkus(0).getSalePriceCents());
    }

    @Test
    void exportOpensAsAValidXlsxWithTheRowsIdsAsTextAndIsRefusedWithoutThePermission() throws Exception {
        long shop = HistoryFixtures.newShopId();
        long id = fx.publish(fx.approved(SampleListings.DEAL, shop, 1)).get(0);
        HistoryFixtures.as(61, Roles.OPERATOR, null, null, null, () -> catalog.adjustPrices(AdjustPricesRequest.newBuilder()
                .addChanges(PriceChange.newBuilder().setItemId(id).setMode("set").setValue(7000)).build()));
        given().header("Authorization", Tokens.bearer("auditor", 3)).queryParam("productId", id).get("/history/export.xlsx")
                .then().statusCode(403);
        byte[] xlsx = given().header("Authorization", Tokens.bearer("operator", 42)).queryParam("productId", id)
                .get("/history/export.xlsx").then().statusCode(200).extract().asByteArray();
        List<Row> rows;
        try (InputStream in = new java.io.ByteArrayInputStream(xlsx); ReadableWorkbook wb = new ReadableWorkbook(in)) {
            rows = wb.getFirstSheet().read();
        }
        assertEquals(3, rows.size(), "header and two versions");
        assertEquals("product_id", rows.get(0).getCellText(0));
        Map<String, Integer> col = new HashMap<>();
        for (int c = 0; c < rows.get(0).getCellCount(); c++) {
            col.put(rows.get(0).getCellText(c), c);
        }
        Row newest = rows.get(1);
        assertEquals(String.valueOf(id), newest.getCellText(col.get("product_id")));
        assertEquals(org.dhatim.fastexcel.reader.CellType.STRING, newest.getCell(col.get("product_id")).getType(), "ids are text cells");
        assertEquals("2", newest.getCellText(col.get("version")));
        assertEquals("PRICE", newest.getCellText(col.get("change_type")));
        assertTrue(rows.get(2).getCellText(col.get("new_value")).contains("\"***\""), "face values masked for an operator");
        assertTrue(h.one("SELECT count(*) FROM history_access_log WHERE action = 'export' AND user_id = 42 AND filter_json->>'productId' = '"
                + id + "'") >= 1);
    }
}
