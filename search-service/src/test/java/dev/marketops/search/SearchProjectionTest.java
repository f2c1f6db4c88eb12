package dev.marketops.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.projection.RedisProjection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The projections and the product search over snapshots built here (as the catalogue would
 * answer them): Redis hash and index document per item, version guards, filters, subtree,
 * free text, deep pages and facets, and the problem documents of bad parameters.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchProjectionTest {

    @Inject
    RedisProjection redis;
    @Inject
    SearchIndex index;

    final String tag = "run-" + System.nanoTime();
    ItemSnapshot voucher, giftCard, hotel, movie, offline, deleted;
    final List<ItemSnapshot> all = new ArrayList<>();

    @BeforeAll
    void project() {
        long day = 86_400_000L;
        long now = System.currentTimeMillis();
        voucher = Snapshots.item(1200).title("Hotpot voucher 100").price(8800).stock(50).tags(tag, "food").source("excel_batch")
                .attributes("{\"face_value\":100,\"sale_price\":88}").createdAt(now - 10 * day).updatedAt(now - 5 * day).build();
        giftCard = Snapshots.item(4200).title("Gift card 200").price(19000).stock(5).tags(tag).shop(88)
                .attributes("{\"card_type\":\"generated\"}").createdAt(now - 3 * day).updatedAt(now - 2 * day).build();
        hotel = Snapshots.item(2100).title("Sea view room").price(39900).stock(20).tags(tag, "travel")
                .attributes("{\"bed_type\":\"king\",\"star_rating\":\"4-star\"}").createdAt(now - 2 * day).updatedAt(now - day).build();
        movie = Snapshots.item(3100).title("The Long Night IMAX").price(6000).stock(2).tags(tag)
                .attributes("{\"cinema_name\":\"Harbour Cinema\",\"ticket_type\":\"IMAX\"}").createdAt(now - day).updatedAt(now).build();
        offline = Snapshots.item(1300).title("Car wash").status("offline").price(3990).stock(0).tags(tag).build();
        deleted = Snapshots.item(1200).title("Old voucher").status("deleted").price(100).stock(1).tags(tag).build();
        all.addAll(List.of(voucher, giftCard, hotel, movie, offline, deleted));
        List<ItemProjection> projections = ItemProjection.inScope(all);
        assertEquals(6, redis.write(projections, false));
        assertEquals(6, index.bulkIndex(projections, false).written());
    }

    @Test
    void anItemIsReadFromRedisThenFromTheLocalCache() {
        staff().get("/items/" + hotel.getItemId()).then().statusCode(200)
                .body("title", equalTo("Sea view room")).body("priceCents", equalTo(39900)).body("servedFrom", equalTo("redis"));
        staff().get("/items/" + hotel.getItemId()).then().statusCode(200).body("servedFrom", equalTo("l1"));
        staff().get("/items/" + deleted.getItemId()).then().statusCode(200).body("status", equalTo("removed"));
        staff().get("/items/abc").then().statusCode(400).body("code", equalTo("INVALID_FIELD")).body("field", equalTo("itemId"));
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() {
        ItemSnapshot v1 = Snapshots.item(4100).title("Top-up 50").version(1).price(4950).tags(tag + "-v").build();
        ItemSnapshot v3 = v1.toBuilder().setVersion(3).setMinPriceCents(4800).build();
        redis.write(List.of(ItemProjection.of(v3)), false);
        index.bulkIndex(List.of(ItemProjection.of(v3)), false);

        assertEquals(0, redis.write(List.of(ItemProjection.of(v1)), false), "older snapshot refused by the Lua guard");
        assertEquals(0, redis.write(List.of(ItemProjection.of(v3)), false), "same version is not rewritten");
        SearchIndex.BulkOutcome late = index.bulkIndex(List.of(ItemProjection.of(v1)), false);
        assertEquals(List.of(v1.getItemId()), late.conflicts(), "the engine answers 409: already newer");

        Map<String, String> hash = redis.read(List.of(v1.getItemId())).get(v1.getItemId());
        assertEquals("3", hash.get("version"));
        assertEquals("4800", hash.get("price"));
        var doc = index.get(List.of(v1.getItemId())).get(v1.getItemId());
        assertEquals(4800, doc.path("price_cents").asLong());
        assertEquals(3, doc.path("_version").asLong());
    }

    @Test
    void draftsAreNotProjected() {
        ItemSnapshot draft = Snapshots.item(1200).status("draft").neverOnline().build();
        assertTrue(ItemProjection.inScope(List.of(draft)).isEmpty());
    }

    @Test
    void filtersNarrowTheList() {
        assertEquals(Set.of(voucher.getItemId(), giftCard.getItemId(), hotel.getItemId(), movie.getItemId(), offline.getItemId()),
                ids(search(Map.of())), "without a status filter, removed items are left out");
        assertEquals(Set.of(voucher.getItemId(), offline.getItemId()), ids(search(Map.of("categoryId", "1000"))),
                "a parent category finds its descendants");
        assertEquals(Set.of(voucher.getItemId()), ids(search(Map.of("categoryId", "1200"))));
        assertEquals(Set.of(offline.getItemId()), ids(search(Map.of("status", "offline"))));
        assertEquals(Set.of(deleted.getItemId()), ids(search(Map.of("status", "deleted"))));
        assertEquals(Set.of(giftCard.getItemId()), ids(search(Map.of("shopId", "88"))));
        assertEquals(Set.of(voucher.getItemId()), ids(search(Map.of("sourceType", "excel_batch"))));
        assertEquals(Set.of(voucher.getItemId(), giftCard.getItemId(), hotel.getItemId()),
                ids(search(Map.of("priceMin", "88", "priceMax", "399"))), "bounds are inclusive");
        assertEquals(Set.of(movie.getItemId(), offline.getItemId()), ids(search(Map.of("priceMax", "60.00"))));
        assertEquals(Set.of(voucher.getItemId(), hotel.getItemId()), ids(search(Map.of("stockMin", "20"))));
        assertEquals(Set.of(hotel.getItemId()), ids(search(Map.of("tags", "travel"))));
        long now = System.currentTimeMillis();
        assertEquals(Set.of(hotel.getItemId(), movie.getItemId()),
                ids(search(Map.of("createdFrom", Long.toString(now - 2 * 86_400_000L - 60_000), "createdTo", Long.toString(now - 60_000)))));
        assertEquals(Set.of(voucher.getItemId()), ids(search(Map.of("updatedTo",
                java.time.Instant.ofEpochMilli(now - 4 * 86_400_000L).toString()))));
    }

    @Test
    void freeTextSearchesTitlesAndAttributes() {
        assertEquals(Set.of(movie.getItemId()), ids(search(Map.of("q", "harbour"))), "an attribute value");
        assertEquals(Set.of(hotel.getItemId()), ids(search(Map.of("q", "sea view"))), "words of the title");
        assertEquals(Set.of(hotel.getItemId()), ids(search(Map.of("q", "king"))));
        assertTrue(ids(search(Map.of("q", "sea harbour"))).isEmpty(), "every word must match");
    }

    @Test
    void sortAndSearchAfterWalkEveryItemOnce() {
        JsonPath first = search(Map.of("sort", "price asc", "size", "2"));
        assertEquals(List.of(offline.getItemId(), movie.getItemId()), first.getList("items.itemId", Long.class));
        assertEquals(5, first.getLong("total"));
        List<Long> seen = new ArrayList<>(first.getList("items.itemId", Long.class));
        String cursor = first.getString("nextCursor");
        while (cursor != null) {
            JsonPath next = search(Map.of("sort", "price asc", "size", "2", "searchAfter", cursor));
            seen.addAll(next.getList("items.itemId", Long.class));
            cursor = next.getString("nextCursor");
        }
        assertEquals(List.of(offline.getItemId(), movie.getItemId(), voucher.getItemId(), giftCard.getItemId(), hotel.getItemId()), seen);
        JsonPath page1 = search(Map.of("sort", "updated_at:desc", "size", "2", "page", "1"));
        assertEquals(List.of(hotel.getItemId(), giftCard.getItemId()), page1.getList("items.itemId", Long.class));
        staff().queryParam("tags", tag).queryParam("sort", "updated_at desc").queryParam("searchAfter", first.getString("nextCursor"))
                .get("/search/items").then().statusCode(400).body("code", equalTo("CURSOR_SORT_MISMATCH"));
    }

    @Test
    void facetsCountPerCategoryAndStatus() {
        JsonPath f = staff().queryParam("tags", tag).queryParam("status", "online,offline").get("/search/facets")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(5, f.getLong("total"));
        assertEquals(4, f.getLong("statuses.find { it.key == 'online' }.count"));
        assertEquals(1, f.getLong("statuses.find { it.key == 'offline' }.count"));
        assertEquals(1, f.getLong("categories.find { it.key == '1200' }.count"));
        assertEquals(1, f.getLong("categories.find { it.key == '1300' }.count"));
        assertEquals(2, f.getLong("categoryTree.find { it.key == '1000' }.count"), "local life with its descendants");
        JsonPath local = staff().queryParam("tags", tag).queryParam("categoryId", "1000").get("/search/facets").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, local.getLong("total"));
    }

    @Test
    void aMerchantSeesOnlyItsOwnShop() {
        String merchant88 = Tokens.bearer("merchant", 88);
        JsonPath own = given().header("Authorization", merchant88).queryParam("tags", tag).get("/search/items")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of(giftCard.getItemId()), ids(own));
        given().header("Authorization", merchant88).queryParam("shopId", "77").get("/search/items")
                .then().statusCode(403).body("code", equalTo("FORBIDDEN")).body("field", equalTo("shopId"));
        given().header("Authorization", merchant88).get("/items/" + voucher.getItemId()).then().statusCode(404);
        given().header("Authorization", merchant88).get("/items/" + giftCard.getItemId()).then().statusCode(200);
        given().header("Authorization", Tokens.bearer("operator", 5)).queryParam("tags", tag).get("/search/items")
                .then().statusCode(200).body("total", equalTo(5));
        given().header("Authorization", merchant88).get("/reconciliations").then().statusCode(403);
    }

    @Test
    void badParametersAreProblemsNamingTheField() {
        problem(Map.of("priceMin", "abc"), "INVALID_FIELD", "priceMin");
        problem(Map.of("priceMin", "10.123"), "INVALID_FIELD", "priceMin");
        problem(Map.of("priceMin", "50", "priceMax", "10"), "INVALID_RANGE", "priceMin");
        problem(Map.of("stockMin", "x"), "INVALID_FIELD", "stockMin");
        problem(Map.of("status", "sold"), "INVALID_FIELD", "status");
        problem(Map.of("categoryId", "-3"), "INVALID_FIELD", "categoryId");
        problem(Map.of("createdFrom", "yesterday"), "INVALID_FIELD", "createdFrom");
        problem(Map.of("updatedFrom", "2026-11-20", "updatedTo", "2026-11-10"), "INVALID_RANGE", "updatedFrom");
        problem(Map.of("sort", "color desc"), "INVALID_FIELD", "sort");
        problem(Map.of("size", "500"), "INVALID_FIELD", "size");
        problem(Map.of("page", "600", "size", "20"), "INVALID_FIELD", "page");
        problem(Map.of("searchAfter", "not-a-cursor"), "INVALID_FIELD", "searchAfter");
    }

    private void problem(Map<String, String> params, String code, String field) {
        staff().queryParams(params).get("/search/items").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo(code)).body("field", equalTo(field));
    }

    private JsonPath search(Map<String, String> params) {
        return staff().queryParam("tags", tag).queryParams(params).get("/search/items")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Set<Long> ids(JsonPath page) {
        return new HashSet<>(page.getList("items.itemId", Long.class));
    }

    /** Staff with catalogue:read (every shop). */
    private static io.restassured.specification.RequestSpecification staff() {
        return given().header("Authorization", Tokens.bearer("auditor", 7));
    }
}
