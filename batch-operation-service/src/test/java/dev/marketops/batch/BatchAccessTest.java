package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Identity and access of batches: the role table over every batch write, who a batch belongs to
 * and runs as, isolation between users and shops (404), the price guard, safe cells in the files
 * and the upload rate limit. Without a catalogue peer: every upload here fails validation or is
 * refused, so nothing waits for a catalogue call.
 */
@QuarkusTest
class BatchAccessTest {

    @Inject
    AgroalDataSource ds;

    static long newUser() {
        return ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);
    }

    /** A CSV whose only row fails validation: the batch is created and fails at once (nothing runs). */
    static byte[] badSheet() {
        return Sheets.csv("item_id,value", newUser() + ",not-a-price");
    }

    static RequestSpecification as(String bearer) {
        return given().header("Authorization", bearer);
    }

    static Response upload(String bearer, byte[] csv, String type, String params) {
        var req = as(bearer).multiPart("file", "b.csv", csv).multiPart("operationType", type);
        if (params != null) {
            req.multiPart("params", params);
        }
        return req.post("/batches");
    }

    static long created(Response r) {
        assertEquals(201, r.statusCode(), r.asString());
        return r.jsonPath().getLong("batch.batchId");
    }

    @Test
    void everyBatchWriteFollowsThePermissionTable() {
        for (String role : Roles.PEOPLE) {
            String bearer = Tokens.bearer(role, newUser());
            boolean allowed = Permission.BATCH_RUN.roles().contains(role);
            Response up = upload(bearer, badSheet(), "price_adjust", null);
            assertEquals(allowed ? 201 : 403, up.statusCode(), role + ": " + up.asString());
            as(bearer).get("/batches").then().statusCode(allowed ? 200 : 403);
            as(bearer).get("/templates/price_adjust").then().statusCode(allowed ? 200 : 403);
            if (allowed) {
                long id = up.jsonPath().getLong("batch.batchId");
                assertEquals("failed", up.jsonPath().getString("batch.status"));
                // past the permission check: the batch's own state answers
                as(bearer).post("/batches/" + id + "/cancel").then().statusCode(409).body("code", equalTo("BATCH_FINISHED"));
                as(bearer).post("/batches/" + id + "/undo").then().statusCode(409).body("code", equalTo("BATCH_NOT_FINISHED"));
            } else {
                up.then().body("code", equalTo("FORBIDDEN"));
                as(bearer).post("/batches/1/cancel").then().statusCode(403);
                as(bearer).post("/batches/1/undo").then().statusCode(403);
                as(bearer).get("/batches/1/result.xlsx").then().statusCode(403);
            }
        }
        // a platform service is no end user: it runs no batches over REST
        as("Bearer " + Tokens.serviceToken()).get("/batches").then().statusCode(403);
        given().get("/templates/price_adjust").then().statusCode(401);
    }

    @Test
    void aBatchRecordsItsCreatorFromTheTokenWithRoleShopIpAndUserAgent() throws Exception {
        long merchantUser = newUser();
        long shop = merchantUser + 7;
        Response r = as(Tokens.merchantBearer(merchantUser, shop)).header("User-Agent", "batch-test/1.0")
                .header("X-Forwarded-For", "203.0.113.7")
                .multiPart("file", "m.csv", badSheet()).multiPart("operationType", "price_adjust").post("/batches");
        long id = created(r);
        JsonPath b = r.jsonPath();
        assertEquals(merchantUser, b.getLong("batch.createdBy"));
        assertEquals("merchant", b.getString("batch.createdByType"));
        assertEquals(shop, b.getLong("batch.createdByMerchant"));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT created_by, created_by_type, created_by_merchant, created_ip, created_user_agent FROM operation_batch_task WHERE batch_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(merchantUser, rs.getLong(1));
                assertEquals("merchant", rs.getString(2));
                assertEquals(shop, rs.getLong(3));
                assertEquals("203.0.113.7", rs.getString(4));
                assertEquals("batch-test/1.0", rs.getString(5));
            }
        }
        // staff batches carry their role and no shop
        Response op = upload(Tokens.bearer("admin", newUser()), badSheet(), "price_adjust", null);
        created(op);
        assertEquals("admin", op.jsonPath().getString("batch.createdByType"));
        assertNull(op.jsonPath().get("batch.createdByMerchant"));
    }

    @Test
    void anotherUsersOrShopsBatchAndItsFilesAre404AndAdminsSeeThemAll() {
        String owner = Tokens.bearer("operator", newUser());
        long id = created(upload(owner, badSheet(), "price_adjust", null));
        long merchantUser = newUser();
        String merchant = Tokens.merchantBearer(merchantUser, merchantUser + 1);
        long merchantBatch = created(upload(merchant, badSheet(), "price_adjust", null));
        List<String> reads = List.of("", "/items", "/result.xlsx", "/rejected.xlsx", "/rejected.csv", "/events");

        for (String outsider : List.of(Tokens.bearer("operator", newUser()), Tokens.merchantBearer(newUser(), merchantUser + 2),
                // the same user id under another shop is another merchant
                Tokens.merchantBearer(merchantUser, merchantUser + 3))) {
            for (long batch : List.of(id, merchantBatch)) {
                for (String path : reads) {
                    as(outsider).get("/batches/" + batch + path).then().statusCode(404).body("code", equalTo("UNKNOWN_BATCH"));
                }
                as(outsider).post("/batches/" + batch + "/cancel").then().statusCode(404);
                as(outsider).post("/batches/" + batch + "/undo").then().statusCode(404);
            }
            as(outsider).get("/batches").then().statusCode(200).body("items.batchId", not(hasItem(String.valueOf(id))))
                    .body("items.batchId", not(hasItem(String.valueOf(merchantBatch))));
        }
        // the owners read their own
        for (String path : reads) {
            as(owner).get("/batches/" + id + path).then().statusCode(200);
            as(merchant).get("/batches/" + merchantBatch + path).then().statusCode(200);
        }
        as(merchant).get("/batches").then().statusCode(200).body("items.batchId", equalTo(List.of(String.valueOf(merchantBatch))));
        // naming another creator in the history is refused, not silently replaced
        as(owner).queryParam("createdBy", merchantUser).get("/batches").then().statusCode(400)
                .body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("createdBy"));
        // an admin (BATCH_ALL) sees and downloads every batch
        String admin = Tokens.bearer("admin", newUser());
        for (long batch : List.of(id, merchantBatch)) {
            for (String path : reads) {
                as(admin).get("/batches/" + batch + path).then().statusCode(200);
            }
        }
        as(admin).queryParam("createdBy", merchantUser).get("/batches").then().statusCode(200)
                .body("items.batchId", hasItem(String.valueOf(merchantBatch)));
    }

    @Test
    void aLooserPriceGuardNeedsTheOverridePermissionAndAStricterOneIsFine() {
        for (String role : Roles.PEOPLE) {
            String bearer = Tokens.bearer(role, newUser());
            Response looser = upload(bearer, badSheet(), "price_adjust", "{\"maxChangePercent\": 80}");
            if (!Permission.BATCH_RUN.roles().contains(role)) {
                assertEquals(403, looser.statusCode(), role);
                assertEquals("FORBIDDEN", looser.jsonPath().getString("code"), role);
            } else if (Permission.PRICE_GUARD_OVERRIDE.roles().contains(role)) {
                assertEquals(201, looser.statusCode(), role + ": " + looser.asString());
            } else {
                assertEquals(403, looser.statusCode(), role + ": " + looser.asString());
                assertEquals("PRICE_GUARD_OVERRIDE_REQUIRED", looser.jsonPath().getString("code"));
                assertEquals("params.maxChangePercent", looser.jsonPath().getString("field"));
            }
        }
        String operator = Tokens.bearer("operator", newUser());
        // 0 is "no limit" to the catalogue: the loosest of all
        upload(operator, badSheet(), "price_adjust", "{\"maxChangePercent\": 0}").then().statusCode(403)
                .body("code", equalTo("PRICE_GUARD_OVERRIDE_REQUIRED"));
        // the server's own guard and stricter ones are anyone's
        created(upload(operator, badSheet(), "price_adjust", "{\"maxChangePercent\": 50}"));
        created(upload(operator, badSheet(), "price_adjust", "{\"maxChangePercent\": 10}"));
    }

    @Test
    void aMerchantsFilterBatchesStayInItsShop() {
        long user = newUser();
        String merchant = Tokens.merchantBearer(user, user + 1);
        // another shop's goods by filter: that shop does not exist for this merchant
        as(merchant).multiPart("operationType", "price_adjust")
                .multiPart("params", "{\"categoryIds\": [4100], \"shopId\": " + (user + 99) + ", \"value\": 10}")
                .post("/batches").then().statusCode(404).body("code", equalTo("UNKNOWN_SHOP"));
        // a whole shop's status is SHOP_STATUS, which merchants do not hold
        as(merchant).multiPart("operationType", "status_change")
                .multiPart("params", "{\"shopId\": " + (user + 1) + ", \"targetStatus\": \"offline\"}")
                .post("/batches").then().statusCode(403).body("field", equalTo("params.shopId"));
    }

    @Test
    void formulaCellsComeBackEscapedInTheRejectedAndResultFiles() throws Exception {
        String operator = Tokens.bearer("operator", newUser());
        byte[] csv = Sheets.csv("item_id,mode,value",
                "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",set,5",
                "800001,set,=1+2",
                "800002,set,@SUM(A1)",
                "800003,set,-10");
        Response r = as(operator).multiPart("file", "evil.csv", csv).multiPart("operationType", "price_adjust")
                .multiPart("errorPolicy", "reject_everything").post("/batches");
        long id = created(r);
        assertEquals(4, r.jsonPath().getInt("invalidRows"), r.asString());

        String rejectedCsv = as(operator).get("/batches/" + id + "/rejected.csv").then().statusCode(200).extract().asString();
        assertTrue(rejectedCsv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",set,5,"), rejectedCsv);
        assertTrue(rejectedCsv.contains("800001,set,'=1+2,"), rejectedCsv);
        assertTrue(rejectedCsv.contains("800002,set,'@SUM(A1),"), rejectedCsv);
        // a plain negative number cannot run and must upload again as it was
        assertTrue(rejectedCsv.contains("800003,set,-10,"), rejectedCsv);
        for (String line : rejectedCsv.split("\r\n")) {
            for (String cell : line.split(",")) {
                assertFalse(cell.startsWith("=") || cell.startsWith("@") || cell.startsWith("\"="), "unescaped cell " + cell);
            }
        }

        List<List<String>> xlsx = BatchUploadTest.read(as(operator).get("/batches/" + id + "/rejected.xlsx").then()
                .statusCode(200).extract().asByteArray());
        List<String> cells = new ArrayList<>();
        xlsx.subList(1, xlsx.size()).forEach(cells::addAll);
        assertTrue(cells.contains("'=HYPERLINK(\"http://evil.example\",\"x\")"), cells.toString());
        assertTrue(cells.contains("'=1+2"), cells.toString());
        assertTrue(cells.contains("'@SUM(A1)"), cells.toString());
        assertTrue(cells.contains("-10"), cells.toString());

        // the result file: an error text that echoes a cell (as a peer's message may) is escaped too
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE operation_batch_item SET error_message = '=1+2', error_field = '@SUM(A1)', error_code = '+CMD' WHERE batch_id = ? AND row_no = 3")) {
            ps.setLong(1, id);
            assertEquals(1, ps.executeUpdate());
        }
        List<List<String>> result = BatchUploadTest.read(as(operator).get("/batches/" + id + "/result.xlsx").then()
                .statusCode(200).extract().asByteArray());
        List<String> row3 = result.stream().filter(row -> row.get(0).equals("3")).findFirst().orElseThrow();
        assertEquals("'+CMD", row3.get(6), row3.toString());
        assertEquals("'@SUM(A1)", row3.get(7), row3.toString());
        assertEquals("'=1+2", row3.get(8), row3.toString());
        for (List<String> row : result) {
            for (String cell : row) {
                assertFalse(cell.startsWith("=") || cell.startsWith("@") || cell.startsWith("+"), "unescaped cell " + cell);
            }
        }
    }

    @Test
    void aBurstOfUploadsOverTheLimitGets429WithRetryAfter() {
        // bucket upload in the test profile: 8 tokens, 1 per second
        String bearer = Tokens.bearer("operator", newUser());
        List<Integer> codes = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 14; i++) {
            Response r = as(bearer).multiPart("file", "empty.csv", new byte[0]).multiPart("operationType", "price_adjust")
                    .post("/batches");
            codes.add(r.statusCode());
            if (r.statusCode() == 429 && refused == null) {
                refused = r;
            }
        }
        assertNotNull(refused, "no upload refused: " + codes);
        long passed = codes.stream().filter(c -> c == 400).count();
        assertTrue(passed >= 8 && passed <= 11, "8 (plus the refill) pass the limit: " + codes);
        assertEquals("RATE_LIMITED", refused.jsonPath().getString("code"));
        assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1, refused.headers().toString());
        // reads are not limited, and another user has its own bucket
        as(bearer).get("/batches").then().statusCode(200);
        as(Tokens.bearer("operator", newUser())).multiPart("file", "empty.csv", new byte[0])
                .multiPart("operationType", "price_adjust").post("/batches").then().statusCode(400)
                .body("code", equalTo("EMPTY_FILE"));
    }
}
