package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, merchandising configuration end to end through the gateway and the running fleet: the
 * category tree (a move, a refused cycle, the tree document by ETag), a homepage group published and
 * read from the storefront endpoint and from the static path, items tagged by a batch and ranked by
 * tag priority in search, and a promotion's price on the item read and in search.
 */
class MerchandisingE2ETest {

    static final String ADMIN = Logins.bearer("admin", 1);
    static final String OPERATOR = Logins.bearer("operator", 7141);

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    @Test
    void aCategoryMovesAndACycleIsRefused() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String code = run.toUpperCase();
        long a = category("MERCH_A_" + code, 2000);
        long b = category("MERCH_B_" + code, 2000);
        long c = category("MERCH_C_" + code, a);
        Response before = given().header("Authorization", ADMIN).get("/api/config/categories/tree");
        before.then().statusCode(200);
        String etag = before.getHeader("ETag");
        assertTrue(etag != null && !etag.isBlank(), "the tree carries an ETag");

        long version = given().header("Authorization", ADMIN).get("/api/config/categories/" + c).then().statusCode(200)
                .extract().jsonPath().getLong("version");
        JsonPath moved = given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("parentId", b, "version", version))
                .post("/api/config/categories/" + c + "/move").then().statusCode(200).body("level", equalTo(3))
                .extract().jsonPath();
        assertEquals(b, moved.getLong("parentId"));
        // b under its own child c would be a cycle
        long bVersion = given().header("Authorization", ADMIN).get("/api/config/categories/" + b).then().statusCode(200)
                .extract().jsonPath().getLong("version");
        given().header("Authorization", ADMIN).contentType("application/json").body(Map.of("parentId", c, "version", bVersion))
                .post("/api/config/categories/" + b + "/move").then().statusCode(400)
                .body("code", equalTo("CATEGORY_CYCLE")).body("field", equalTo("parentId"));

        Fleet.await("the tree document reflects the move", () -> {
            String now = given().header("Authorization", ADMIN).get("/api/config/categories/tree").getHeader("ETag");
            return now != null && !now.equals(etag);
        });
        String current = given().header("Authorization", ADMIN).get("/api/config/categories/tree").getHeader("ETag");
        assertNotEquals(etag, current);
        given().header("Authorization", ADMIN).header("If-None-Match", current).get("/api/config/categories/tree")
                .then().statusCode(304);
    }

    @Test
    void aPublishedHomepageGroupIsReadFromTheStorefrontAndTheStaticPath() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String group = given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("code", "HOME_" + run.toUpperCase(java.util.Locale.ROOT), "name", "Homepage " + run, "region", "SG", "platform", "app", "environment", "prod"))
                .post("/api/config/homepage/groups").then().statusCode(201).extract().jsonPath().getString("groupId");
        long draft = given().header("Authorization", ADMIN).get("/api/config/homepage/groups/" + group).then().statusCode(200)
                .extract().jsonPath().getLong("draftVersion");
        long saved = given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("version", draft, "entrances", List.of(
                        Map.of("code", "HOTEL", "name", "Hotels", "sortOrder", 1, "categoryIds", List.of("2100"), "tags", List.of()),
                        Map.of("code", "TOPUP", "name", "Mobile top-up", "sortOrder", 2, "categoryIds", List.of("4100"),
                                "carriers", List.of("China Mobile"), "tags", List.of()))))
                .put("/api/config/homepage/groups/" + group + "/draft").then().statusCode(200)
                .extract().jsonPath().getLong("draftVersion");
        given().header("Authorization", ADMIN).contentType("application/json").body(Map.of("draftVersion", saved))
                .post("/api/config/homepage/groups/" + group + "/publish").then().statusCode(201)
                .body("versionNo", equalTo(1)).body("action", equalTo("publish"));

        Fleet.await("the storefront reads version 1 of group " + group, () ->
                given().header("Authorization", ADMIN).queryParam("userId", 4242).get("/api/config/storefront/homepage/" + group)
                        .then().extract().statusCode() == 200);
        Response read = given().header("Authorization", ADMIN).queryParam("userId", 4242).get("/api/config/storefront/homepage/" + group);
        read.then().statusCode(200).header("X-Homepage-Version", "1");
        assertEquals("HOTEL", read.jsonPath().getString("entrances[0].code"));
        given().header("Authorization", ADMIN).header("If-None-Match", read.getHeader("ETag")).queryParam("userId", 4242)
                .get("/api/config/storefront/homepage/" + group).then().statusCode(304);

        // The CDN origin: the versioned file is immutable and long-cached, with an ETag.
        Fleet.await("the static file of version 1 exists", () ->
                given().get("/static/config/homepage/" + group + "/v1.json").then().extract().statusCode() == 200);
        Response file = given().get("/static/config/homepage/" + group + "/v1.json");
        file.then().statusCode(200).header("Cache-Control", startsWith("public, max-age=31536000"));
        assertTrue(file.getHeader("ETag") != null, "the static file carries an ETag");
        assertEquals("TOPUP", file.jsonPath().getString("entrances[1].code"));
        given().header("If-None-Match", file.getHeader("ETag")).get("/static/config/homepage/" + group + "/v1.json")
                .then().statusCode(304);
    }

    @Test
    void batchTaggedItemsRankByTagPriorityAndAPromotionShowsOnTheItem() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String high = "MERCH_HIGH_" + run;
        String low = "MERCH_LOW_" + run;
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("code", high, "name", "Spring festival " + run, "type", "seasonal", "priority", 90))
                .post("/api/config/tags").then().statusCode(201);
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("code", low, "name", "New " + run, "type", "new", "priority", 10))
                .post("/api/config/tags").then().statusCode(201);

        List<Long> items = onlineTopUps(run);
        long untagged = items.get(0);
        long lowItem = items.get(1);
        long highItem = items.get(2);
        String tags = "item_id,tags\n" + lowItem + "," + low + "\n" + highItem + "," + high + "\n";
        long tagBatch = given().header("Authorization", OPERATOR)
                .multiPart("file", "tags-" + run + ".csv", tags.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("operationType", "tag_batch_add").multiPart("params", "{\"confirm\": true}")
                .post("/api/batch/batches").then().statusCode(201).extract().jsonPath().getLong("batch.batchId");
        assertEquals("completed", awaitFinished(tagBatch).getString("status"));

        Fleet.await("the tagged items rank by tag priority in search", () -> {
            List<Long> ranked = given().header("Authorization", OPERATOR).queryParam("categoryId", 4100).queryParam("q", run)
                    .queryParam("sort", "tag_priority").queryParam("size", 10).get("/api/search/search/items")
                    .then().extract().jsonPath().getList("items.itemId", Long.class);
            return List.of(highItem, lowItem, untagged).equals(ranked);
        });
        given().header("Authorization", OPERATOR).get("/api/search/items/" + highItem).then().statusCode(200)
                .body("tags", org.hamcrest.Matchers.hasItem(high));

        // A promotion on one item: its price on the item read and in search, gone when it is ended.
        long base = given().header("Authorization", OPERATOR).get("/api/search/items/" + lowItem).then().statusCode(200)
                .extract().jsonPath().getLong("priceCents");
        String promotion = given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("name", "Top-up week " + run, "kind", "discount", "userType", "all",
                        "itemIds", List.of(Long.toString(lowItem)), "discountType", "percent", "discountValue", 10,
                        "priority", 5, "startsAt", Instant.now().minusSeconds(5).toString(),
                        "endsAt", Instant.now().plusSeconds(3600).toString(), "quota", 1000))
                .post("/api/config/promotions").then().statusCode(201).extract().jsonPath().getString("promotionId");
        long expected = Math.round(base * 0.9);
        Fleet.await("the promotion's price is on the item read", () -> {
            JsonPath item = given().header("Authorization", OPERATOR).get("/api/search/items/" + lowItem).then().extract().jsonPath();
            return promotion.equals(item.getString("promotion.promotionId")) && item.getLong("promotion.priceCents") == expected;
        });
        Fleet.await("the promotion's price is in search", () -> {
            JsonPath page = given().header("Authorization", OPERATOR).queryParam("categoryId", 4100).queryParam("q", run)
                    .queryParam("size", 10).get("/api/search/search/items").then().extract().jsonPath();
            Object id = page.get("items.find { it.itemId.toString() == '" + lowItem + "' }.promotion.promotionId");
            return promotion.equals(String.valueOf(id));
        });
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of())
                .post("/api/config/promotions/" + promotion + "/end").then().statusCode(200).body("status", equalTo("ended"));
        Fleet.await("the ended promotion's price is gone from the item read", () ->
                given().header("Authorization", OPERATOR).get("/api/search/items/" + lowItem).then().extract().jsonPath()
                        .get("promotion") == null);
    }

    private static long category(String code, long parentId) {
        return given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("code", code, "name", code.toLowerCase(), "parentId", parentId))
                .post("/api/config/categories").then().statusCode(201).extract().jsonPath().getLong("categoryId");
    }

    /** Three online top-ups (a listing sheet through the batch pipeline), in sheet order, readable in search. */
    private static List<Long> onlineTopUps(String run) {
        String csv = "category_id,title,carrier,denomination,sale_price,face_value,valid_days\n"
                + "4100,Top-up 30 " + run + ",China Mobile,30,29.5,,\n"
                + "4100,Top-up 50 " + run + ",China Unicom,50,49.5,,\n"
                + "4100,Top-up 100 " + run + ",China Telecom,100,98,,\n";
        long batchId = given().header("Authorization", OPERATOR)
                .multiPart("file", "merch-" + run + ".csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("operationType", "listing_upload").multiPart("params", "{\"shopId\": 1001}")
                .post("/api/batch/batches").then().statusCode(201).extract().jsonPath().getLong("batch.batchId");
        assertEquals("completed", awaitFinished(batchId).getString("status"));
        JsonPath tasks = given().header("Authorization", OPERATOR).queryParam("batchId", batchId).queryParam("size", 10)
                .get("/api/listing/listings").then().statusCode(200).extract().jsonPath();
        List<Long> ids = List.of("Top-up 30 ", "Top-up 50 ", "Top-up 100 ").stream()
                .map(t -> tasks.getLong("items.find { it.title.startsWith('" + t + "') }.itemId")).toList();
        for (long id : ids) {
            Fleet.await("item " + id + " is readable", () ->
                    given().header("Authorization", OPERATOR).get("/api/search/items/" + id).statusCode() == 200);
        }
        Fleet.await("the three items are searchable", () -> given().header("Authorization", OPERATOR).queryParam("categoryId", 4100)
                .queryParam("q", run).get("/api/search/search/items").then().extract().jsonPath().getLong("total") == 3);
        return ids;
    }

    private static JsonPath awaitFinished(long batchId) {
        return Fleet.awaitBatchFinished(OPERATOR, batchId);
    }
}
