package dev.marketops.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.export.ProductExportJobs;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exports of the product list: exactly the filter, the selection and the columns asked for,
 * written by a background job into an .xlsx whose id cells are text and whose headers are the
 * batch templates' own; a merchant's export holds only its shop's goods; only the requester
 * reads it; the row limit (5 in tests) is refused with a clear problem; the file lives in the
 * database (any replica serves it) until the retention purge removes the finished job.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductExportTest {

    @Inject
    SearchIndex index;
    @Inject
    AgroalDataSource db;
    @Inject
    ProductExportJobs jobs;

    final String tag = "export-" + System.nanoTime();
    final String bulkTag = tag + "-bulk";
    final long shopA = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    final long shopB = shopA + 1;
    // ids above 2^53, where a spreadsheet number (a double) can no longer hold them exactly
    final long bigBase = 121_310_230_513_618_944L + ThreadLocalRandom.current().nextLong(1, 1L << 40) * 16;
    ItemSnapshot a1, a2, b1, removed;

    @BeforeAll
    void project() {
        a1 = new Snapshots.Builder(bigBase + 1, 1200).title("=HYPERLINK(\"x\") Shop A voucher").price(1234).stock(5).tags(tag).shop(shopA).build();
        a2 = new Snapshots.Builder(bigBase + 2, 2100).title("Shop A room").status("offline").price(99_900).stock(-1).tags(tag).shop(shopA).build();
        b1 = new Snapshots.Builder(bigBase + 3, 1200).title("Shop B voucher").price(500).stock(0).tags(tag).shop(shopB).build();
        removed = new Snapshots.Builder(bigBase + 4, 1200).title("Shop B gone").status("removed").tags(tag).shop(shopB).build();
        List<ItemSnapshot> all = new ArrayList<>(List.of(a1, a2, b1, removed));
        for (int k = 0; k < 6; k++) {
            all.add(Snapshots.item(1200).title("Bulk " + k).tags(bulkTag).shop(shopB).build());
        }
        List<ItemProjection> projections = ItemProjection.inScope(all);
        assertEquals(all.size(), index.bulkIndex(projections, false).written());
    }

    static Map<String, Object> request(Map<String, Object> filter, List<String> itemIds, List<String> columns) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("filter", filter);
        if (itemIds != null) {
            r.put("itemIds", itemIds);
        }
        r.put("columns", columns);
        return r;
    }

    Response post(String token, Object body) {
        return given().header("Authorization", token).contentType("application/json").body(body).post("/search/exports");
    }

    /** Requests an export, waits for the job to end, and answers its final state. */
    JsonPath exportAndWait(String token, Object body) throws InterruptedException {
        Response r = post(token, body);
        assertEquals(202, r.statusCode(), r.asString());
        String exportId = r.jsonPath().getString("exportId");
        assertTrue(r.asString().contains("\"exportId\":\"" + exportId + "\""), "the id is a string: " + r.asString());
        assertTrue(List.of("QUEUED", "RUNNING", "DONE").contains(r.jsonPath().getString("status")));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath job = given().header("Authorization", token).get("/search/exports/" + exportId).then().statusCode(200).extract().jsonPath();
            if (List.of("DONE", "FAILED").contains(job.getString("status"))) {
                return job;
            }
            Thread.sleep(100);
        }
        fail("export " + exportId + " did not finish");
        return null;
    }

    List<Row> sheet(String token, String exportId) throws IOException {
        Response file = given().header("Authorization", token).get("/search/exports/" + exportId + "/file");
        assertEquals(200, file.statusCode(), file.asString());
        assertTrue(file.contentType().startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(file.asByteArray()))) {
            return wb.getFirstSheet().read();
        }
    }

    static List<String> texts(Row row) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < row.getCellCount(); c++) {
            out.add(row.getCellText(c));
        }
        return out;
    }

    static Set<String> column(List<Row> rows, int c) {
        Set<String> out = new HashSet<>();
        rows.subList(1, rows.size()).forEach(r -> out.add(r.getCellText(c)));
        return out;
    }

    @Test
    void anExportHoldsExactlyTheFilteredItemsAndTheColumnsAskedFor() throws Exception {
        String operator = Tokens.bearer("operator", 71);
        JsonPath job = exportAndWait(operator, request(Map.of("tags", tag, "status", "online,offline", "sort", "price asc"), null,
                List.of("itemId", "title", "price", "stock", "status", "categoryId", "shopId")));
        assertEquals("DONE", job.getString("status"), job.prettify());
        assertEquals(3, job.getLong("rows"));
        List<Row> rows = sheet(operator, job.getString("exportId"));
        // the headers are the batch templates' (item_edit: item_id, title; price_adjust: value; inventory_update: quantity)
        assertEquals(List.of("item_id", "title", "value", "quantity", "target_status", "category_id", "shop_id"), texts(rows.get(0)));
        assertEquals(4, rows.size(), "header and the three online/offline items of the tag");
        // sorted by price ascending: b1 (5.00), a1 (12.34), a2 (999.00)
        assertEquals(List.of(Long.toString(b1.getItemId()), Long.toString(a1.getItemId()), Long.toString(a2.getItemId())),
                rows.subList(1, 4).stream().map(r -> r.getCellText(0)).toList());
        Row first = rows.get(2);
        for (int c : new int[] {0, 5, 6}) {
            Cell id = first.getCell(c);
            assertEquals(CellType.STRING, id.getType(), "id column " + c + " is a text cell");
        }
        assertEquals(Long.toString(a1.getItemId()), first.getCellText(0), "all digits of an id above 2^53");
        assertEquals("'=HYPERLINK(\"x\") Shop A voucher", first.getCellText(1), "a formula-like title stays text");
        assertEquals(CellType.NUMBER, first.getCell(2).getType());
        assertEquals(0, new BigDecimal("12.34").compareTo(first.getCell(2).asNumber()));
        assertEquals(0, new BigDecimal("5").compareTo(first.getCell(3).asNumber()));
        assertEquals("online", first.getCellText(4));
        assertEquals(Long.toString(shopA), first.getCellText(6));
        assertEquals("-1", rows.get(3).getCellText(3), "unlimited stock as inventory_update writes it");

        // without a status filter removed items are left out, as in the list; asked for, they are "deleted" (status_change's word)
        JsonPath withRemoved = exportAndWait(operator, request(Map.of("tags", tag, "status", "removed"), null, List.of("itemId", "status")));
        List<Row> removedRows = sheet(operator, withRemoved.getString("exportId"));
        assertEquals(List.of(Long.toString(removed.getItemId()), "deleted"), texts(removedRows.get(1)));
        assertEquals(2, removedRows.size());
    }

    @Test
    void aSelectionExportsExactlyThoseItemsThatTheFilterAndTheCallerAllow() throws Exception {
        String operator = Tokens.bearer("operator", 72);
        List<String> selection = List.of(Long.toString(a1.getItemId()), Long.toString(b1.getItemId()), Long.toString(bigBase + 999));
        JsonPath job = exportAndWait(operator, request(Map.of("tags", tag), selection, List.of("itemId", "skuId", "price")));
        assertEquals("DONE", job.getString("status"), job.prettify());
        assertEquals(2, job.getLong("rows"));
        List<Row> rows = sheet(operator, job.getString("exportId"));
        assertEquals(List.of("item_id", "sku_id", "value"), texts(rows.get(0)));
        assertEquals(Set.of(Long.toString(a1.getItemId()), Long.toString(b1.getItemId())), column(rows, 0));
        assertEquals(Set.of(Long.toString(a1.getSkus(0).getSkuId()), Long.toString(b1.getSkus(0).getSkuId())), column(rows, 1));
        assertEquals(CellType.STRING, rows.get(1).getCell(1).getType(), "sku ids are text cells too");

        // the selection is intersected with the filter: a2 is selected but offline, b1 online
        JsonPath narrowed = exportAndWait(operator, request(Map.of("tags", tag, "status", "online"),
                List.of(Long.toString(a2.getItemId()), Long.toString(b1.getItemId())), List.of("itemId")));
        assertEquals(Set.of(Long.toString(b1.getItemId())), column(sheet(operator, narrowed.getString("exportId")), 0));
    }

    @Test
    void aMerchantsExportHoldsOnlyItsOwnGoodsAndOnlyTheRequesterReadsIt() throws Exception {
        String merchantA = Tokens.merchantBearer(501, shopA);
        JsonPath own = exportAndWait(merchantA, request(Map.of("tags", tag, "status", "online,offline,removed"), null, List.of("itemId", "shopId")));
        List<Row> rows = sheet(merchantA, own.getString("exportId"));
        assertEquals(Set.of(Long.toString(a1.getItemId()), Long.toString(a2.getItemId())), column(rows, 0));
        assertEquals(Set.of(Long.toString(shopA)), column(rows, 1));

        // another shop's items in a merchant's selection are simply not there
        JsonPath theirs = exportAndWait(merchantA, request(Map.of(), List.of(Long.toString(b1.getItemId())), List.of("itemId")));
        assertEquals("DONE", theirs.getString("status"));
        assertEquals(0, theirs.getLong("rows"));
        assertEquals(1, sheet(merchantA, theirs.getString("exportId")).size(), "only the header");
        // naming another shop is refused, as in the search
        post(merchantA, request(Map.of("shopId", Long.toString(shopB)), null, List.of("itemId"))).then().statusCode(403)
                .body("code", equalTo("FORBIDDEN")).body("field", equalTo("filter.shopId"));

        // nobody else reads the job or its file, not even staff
        String exportId = own.getString("exportId");
        for (String other : List.of(Tokens.merchantBearer(502, shopB), Tokens.bearer("admin", 1), Tokens.merchantBearer(503, shopA))) {
            given().header("Authorization", other).get("/search/exports/" + exportId).then().statusCode(404).body("code", equalTo("EXPORT_NOT_FOUND"));
            given().header("Authorization", other).get("/search/exports/" + exportId + "/file").then().statusCode(404);
        }
        given().header("Authorization", merchantA).get("/search/exports").then().statusCode(200).body("exportId", hasItem(exportId));
    }

    /**
     * The file opened and saved by LibreOffice Calc (headless) still holds every id digit as text
     * and the same headers, so it uploads again as a batch. Skipped where soffice is not installed
     * (Debian package libreoffice-calc-nogui).
     */
    @Test
    void anExportSavedByLibreOfficeKeepsItsIdsAsText() throws Exception {
        Path soffice = Path.of("/usr/bin/soffice");
        assumeTrue(Files.isExecutable(soffice), "LibreOffice is not installed");
        String operator = Tokens.bearer("operator", 75);
        JsonPath job = exportAndWait(operator, request(Map.of("tags", tag, "status", "online,offline"), null,
                List.of("itemId", "skuId", "title", "price", "stock")));
        Response file = given().header("Authorization", operator).get("/search/exports/" + job.getString("exportId") + "/file");
        Path dir = Files.createTempDirectory("export-lo");
        try {
            Path in = dir.resolve("export.xlsx");
            Files.write(in, file.asByteArray());
            Path outDir = Files.createDirectories(dir.resolve("saved"));
            Process p = new ProcessBuilder(soffice.toString(), "-env:UserInstallation=" + dir.resolve("profile").toUri(), "--headless",
                    "--convert-to", "xlsx", "--outdir", outDir.toString(), in.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "soffice finished");
            Path saved = outDir.resolve("export.xlsx");
            assertTrue(Files.exists(saved), "LibreOffice saved the file: " + log);
            List<Row> rows;
            try (ReadableWorkbook wb = new ReadableWorkbook(Files.newInputStream(saved))) {
                rows = wb.getFirstSheet().read();
            }
            assertEquals(List.of("item_id", "sku_id", "title", "value", "quantity"), texts(rows.get(0)));
            assertEquals(Set.of(Long.toString(a1.getItemId()), Long.toString(a2.getItemId()), Long.toString(b1.getItemId())), column(rows, 0));
            assertEquals(Set.of(Long.toString(a1.getSkus(0).getSkuId()), Long.toString(a2.getSkus(0).getSkuId()),
                    Long.toString(b1.getSkus(0).getSkuId())), column(rows, 1));
            for (Row r : rows.subList(1, rows.size())) {
                assertEquals(CellType.STRING, r.getCell(0).getType(), "item id stays a text cell: " + r);
                assertEquals(CellType.STRING, r.getCell(1).getType(), "sku id stays a text cell: " + r);
                assertEquals(CellType.NUMBER, r.getCell(3).getType(), "the price stays a number: " + r);
            }
            Row a1Row = rows.stream().filter(r -> r.getCellText(0).equals(Long.toString(a1.getItemId()))).findFirst().orElseThrow();
            assertEquals(0, new BigDecimal("12.34").compareTo(a1Row.getCell(3).asNumber()));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aJobWhoseRunnerDiedIsClaimedAgainAndFinished() throws Exception {
        // given a job a replica claimed and then went silent (its heartbeat is an hour old)
        long userId = 76;
        long exportId = bigBase + 500;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO product_export_job (export_id, requested_by, filter, item_ids, columns, status, attempts, started_at, heartbeat_at) "
                        + "VALUES (?, ?, '{}'::jsonb, ?, ARRAY['ITEM_ID','TITLE'], 'RUNNING', 1, now() - interval '1 hour', now() - interval '1 hour')")) {
            ps.setLong(1, exportId);
            ps.setLong(2, userId);
            ps.setArray(3, c.createArrayOf("bigint", new Object[] {a1.getItemId(), b1.getItemId()}));
            ps.executeUpdate();
        }
        // then another runner takes it over and writes it from the start
        String owner = Tokens.bearer("operator", userId);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonPath job;
        do {
            Thread.sleep(100);
            job = given().header("Authorization", owner).get("/search/exports/" + exportId).then().statusCode(200).extract().jsonPath();
        } while (!"DONE".equals(job.getString("status")) && System.nanoTime() < deadline);
        assertEquals("DONE", job.getString("status"), job.prettify());
        assertEquals(List.of("itemId", "title"), job.getList("columns"));
        List<Row> rows = sheet(owner, Long.toString(exportId));
        assertEquals(List.of("item_id", "title"), texts(rows.get(0)));
        assertEquals(Set.of(Long.toString(a1.getItemId()), Long.toString(b1.getItemId())), column(rows, 0));
    }

    @Test
    void aResultThatGrewPastTheLimitSinceTheRequestFailsWithAClearError() throws Exception {
        // given a stored request whose filter now matches six items (the test limit is five)
        long userId = 77;
        long exportId = bigBase + 501;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO product_export_job (export_id, requested_by, filter, columns) VALUES (?, ?, ?::jsonb, ARRAY['ITEM_ID'])")) {
            ps.setLong(1, exportId);
            ps.setLong(2, userId);
            ps.setString(3, "{\"tags\": \"" + bulkTag + "\"}");
            ps.executeUpdate();
        }
        String owner = Tokens.bearer("operator", userId);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonPath job;
        do {
            Thread.sleep(100);
            job = given().header("Authorization", owner).get("/search/exports/" + exportId).then().statusCode(200).extract().jsonPath();
        } while (!"FAILED".equals(job.getString("status")) && System.nanoTime() < deadline);
        // then it fails at once (no retry), saying why, and there is no file
        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertTrue(job.getString("error").startsWith("EXPORT_TOO_LARGE: the filter and selection match 6 items; at most 5 rows"),
                job.getString("error"));
        given().header("Authorization", owner).get("/search/exports/" + exportId + "/file").then().statusCode(409)
                .body("code", equalTo("EXPORT_NOT_READY")).body("status", equalTo("FAILED"));
    }

    @Test
    void aFinishedFileIsServedFromTheDatabaseOnceTheRunnersTemporaryFileIsGone() throws Exception {
        // given a finished export
        String operator = Tokens.bearer("operator", 78);
        JsonPath job = exportAndWait(operator, request(Map.of("tags", tag, "status", "online,offline"), null, List.of("itemId", "title")));
        assertEquals("DONE", job.getString("status"), job.prettify());
        long exportId = job.getLong("exportId");

        // then the runner left nothing on its disk: the file is a row of product_export_file
        try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(List.of(), tmp.filter(f -> f.getFileName().toString().startsWith("product-export-" + exportId + "-")).toList());
        }
        byte[] stored;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT content, bytes FROM product_export_file WHERE export_id = ?")) {
            ps.setLong(1, exportId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the file is stored with its job");
                stored = rs.getBytes(1);
                assertEquals(stored.length, rs.getLong(2));
            }
        }

        // and the download is exactly that row, a workbook of the three items
        Response file = given().header("Authorization", operator).get("/search/exports/" + exportId + "/file");
        assertEquals(200, file.statusCode(), file.asString());
        assertEquals(Long.toString(stored.length), file.header("Content-Length"));
        assertArrayEquals(stored, file.asByteArray());
        List<Row> rows = sheet(operator, Long.toString(exportId));
        assertEquals(List.of("item_id", "title"), texts(rows.get(0)));
        assertEquals(Set.of(Long.toString(a1.getItemId()), Long.toString(a2.getItemId()), Long.toString(b1.getItemId())), column(rows, 0));
    }

    @Test
    void thePurgeDeletesFinishedJobsPastTheRetentionAndKeepsRecentAndRunningOnes() throws Exception {
        // given two finished exports, one finished eight days ago (the retention is seven) and one six days ago
        String operator = Tokens.bearer("operator", 79);
        Map<String, Object> body = request(Map.of("tags", tag, "status", "online"), null, List.of("itemId"));
        long expired = exportAndWait(operator, body).getLong("exportId");
        long recent = exportAndWait(operator, body).getLong("exportId");
        ageBy(expired, "8 days");
        ageBy(recent, "6 days");
        // and a job that failed eight days ago, and one requested eight days ago that is still running
        long expiredFailed = bigBase + 502;
        long running = bigBase + 503;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO product_export_job (export_id, requested_by, columns, status, error, created_at, started_at, heartbeat_at, finished_at)
                VALUES (?, 79, ARRAY['ITEM_ID'], 'FAILED', 'boom', now() - interval '8 days', now() - interval '8 days', NULL, now() - interval '8 days'),
                       (?, 79, ARRAY['ITEM_ID'], 'RUNNING', NULL, now() - interval '8 days', now(), now(), NULL)""")) {
            ps.setLong(1, expiredFailed);
            ps.setLong(2, running);
            ps.executeUpdate();
        }
        try {
            // when the purge runs
            assertTrue(jobs.purgeExpired() >= 2);

            // then the expired jobs and their file are gone, and their download is not found
            assertEquals(0, count("SELECT count(*) FROM product_export_job WHERE export_id IN (?, ?)", expired, expiredFailed));
            assertEquals(0, count("SELECT count(*) FROM product_export_file WHERE export_id = ?", expired));
            given().header("Authorization", operator).get("/search/exports/" + expired).then().statusCode(404)
                    .body("code", equalTo("EXPORT_NOT_FOUND"));
            given().header("Authorization", operator).get("/search/exports/" + expired + "/file").then().statusCode(404)
                    .body("code", equalTo("EXPORT_NOT_FOUND"));
            // and the recent one still downloads, the running one is left to its runner
            List<Row> rows = sheet(operator, Long.toString(recent));
            assertEquals(List.of("item_id"), texts(rows.get(0)));
            assertEquals(Set.of(Long.toString(a1.getItemId()), Long.toString(b1.getItemId())), column(rows, 0));
            given().header("Authorization", operator).get("/search/exports/" + running).then().statusCode(200)
                    .body("status", equalTo("RUNNING"));
        } finally {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM product_export_job WHERE export_id = ?")) {
                ps.setLong(1, running);
                ps.executeUpdate();
            }
        }
    }

    private void ageBy(long exportId, String age) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE product_export_job SET created_at = now() - ?::interval, finished_at = now() - ?::interval WHERE export_id = ?")) {
            ps.setString(1, age);
            ps.setString(2, age);
            ps.setLong(3, exportId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private long count(String sql, long... ids) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < ids.length; k++) {
                ps.setLong(k + 1, ids[k]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aBadRequestIsRefusedNamingTheField() {
        String operator = Tokens.bearer("operator", 73);
        post(operator, request(Map.of("tags", tag), null, List.of("itemId", "colour"))).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_COLUMN")).body("field", equalTo("columns[1]"))
                .body("value", equalTo("colour"));
        post(operator, request(Map.of("tags", tag), null, List.of())).then().statusCode(400).body("code", equalTo("MISSING_FIELD"))
                .body("field", equalTo("columns"));
        post(operator, request(Map.of("tags", tag), List.of(), List.of("itemId"))).then().statusCode(400).body("field", equalTo("itemIds"));
        post(operator, request(Map.of("tags", tag), List.of("12x"), List.of("itemId"))).then().statusCode(400).body("field", equalTo("itemIds[0]"));
        post(operator, request(Map.of("weight", 3), null, List.of("itemId"))).then().statusCode(400).body("field", equalTo("filter.weight"));
        // six items match, the test limit is five rows
        post(operator, request(Map.of("tags", bulkTag), null, List.of("itemId"))).then().statusCode(400)
                .body("code", equalTo("EXPORT_TOO_LARGE")).body("matched", equalTo(6)).body("maxRows", equalTo(5));
        given().header("Authorization", operator).get("/search/exports/12345").then().statusCode(404).body("code", equalTo("EXPORT_NOT_FOUND"));
        given().header("Authorization", Tokens.bearer("supplier_admin", 74)).contentType("application/json")
                .body(request(Map.of(), null, List.of("itemId"))).post("/search/exports").then().statusCode(403);
        given().contentType("application/json").body(request(Map.of(), null, List.of("itemId"))).post("/search/exports").then().statusCode(401);
    }
}
