package dev.marketops.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.OpenApiIds;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Saved views of the product list: kept per user on the server with filter, columns and sort;
 * optimistic versions; only the owner changes a view; shared views reach the owner's audience
 * (staff with staff, a merchant's shop with its own users) and never cross to merchants.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class SavedViewTest {

    // users of this run (the test database keeps views between runs)
    final long base = ThreadLocalRandom.current().nextLong(1_000_000L, 900_000_000L) * 10;
    final long owner = base + 1;
    final long colleague = base + 2;
    final long shopA = base + 3;
    final long shopB = base + 4;
    final String run = "run-" + System.nanoTime();

    static Map<String, Object> view(String name, Map<String, Object> filter, List<String> columns, String sort, boolean shared) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("filter", filter);
        v.put("columns", columns);
        v.put("sort", sort);
        v.put("shared", shared);
        return v;
    }

    static Map<String, Object> with(Map<String, Object> v, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(v);
        copy.put(key, value);
        return copy;
    }

    Response post(String token, Object body) {
        return given().header("Authorization", token).contentType("application/json").body(body).post("/search/views");
    }

    Response put(String token, String viewId, Object body) {
        return given().header("Authorization", token).contentType("application/json").body(body).put("/search/views/" + viewId);
    }

    List<String> visibleIds(String token) {
        return given().header("Authorization", token).get("/search/views").then().statusCode(200).extract().jsonPath().getList("items.viewId");
    }

    @Test
    void aUserKeepsViewsWithFilterColumnsAndSortAndChangesThemByVersion() {
        String me = Tokens.bearer("operator", owner);
        Map<String, Object> filter = Map.of("categoryId", 1200, "status", "online,offline", "tags", List.of("hot", "new"), "priceMax", "99.50");
        Map<String, Object> body = view("Cheap hotels " + run, filter, List.of("itemId", "title", "price", "stock"), "price asc", false);

        // given a saved view
        Response created = post(me, body);
        assertEquals(201, created.statusCode(), created.asString());
        JsonPath v = created.jsonPath();
        String viewId = v.getString("viewId");
        assertTrue(created.asString().contains("\"viewId\":\"" + viewId + "\""), "ids are strings: " + created.asString());
        assertEquals(Long.toString(owner), v.getString("ownerId"));
        assertTrue(created.asString().contains("\"ownerId\":\"" + owner + "\""));
        assertEquals(List.of("itemId", "title", "price", "stock"), v.getList("columns"));
        assertEquals("price asc", v.getString("sort"));
        assertEquals("1200", v.getString("filter.categoryId"));
        assertEquals(List.of("hot", "new"), v.getList("filter.tags"));
        assertEquals("99.50", v.getString("filter.priceMax"));
        assertFalse(v.getBoolean("shared"));
        assertEquals(1, v.getInt("version"));
        assertTrue(created.header("Location").endsWith("/search/views/" + viewId));
        assertTrue(visibleIds(me).contains(viewId));
        given().header("Authorization", me).get("/search/views/" + viewId).then().statusCode(200).body("name", equalTo("Cheap hotels " + run));

        // the same name (in another case) is refused for the same owner, but another user may use it
        post(me, with(body, "name", "CHEAP HOTELS " + run)).then().statusCode(409).body("code", equalTo("DUPLICATE_VIEW_NAME"));
        post(Tokens.bearer("auditor", colleague), body).then().statusCode(201);

        // when it is changed with the version it was read at
        Map<String, Object> change = with(with(body, "columns", List.of("itemId", "status")), "version", 1);
        change.put("sort", "updated_at desc");
        JsonPath changed = put(me, viewId, change).then().statusCode(200).extract().jsonPath();
        assertEquals(2, changed.getInt("version"));
        assertEquals(List.of("itemId", "status"), changed.getList("columns"));
        assertEquals("updated_at desc", changed.getString("sort"));

        // then a change made from the older version is refused as stale
        put(me, viewId, with(change, "columns", List.of("title"))).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("STALE_VERSION")).body("currentVersion", equalTo(2));
        put(me, viewId, with(body, "shared", true)).then().statusCode(400).body("code", equalTo("MISSING_FIELD")).body("field", equalTo("version"));

        // and deleting it removes it
        given().header("Authorization", me).delete("/search/views/" + viewId).then().statusCode(204);
        given().header("Authorization", me).get("/search/views/" + viewId).then().statusCode(404).body("code", equalTo("VIEW_NOT_FOUND"));
        assertFalse(visibleIds(me).contains(viewId));
    }

    @Test
    void onlyTheOwnerChangesAViewAndSharedViewsStayWithinTheirAudience() {
        String me = Tokens.bearer("operator", owner + 100);
        String other = Tokens.bearer("operator", colleague + 100);
        String merchantA = Tokens.merchantBearer(base + 5, shopA);
        Map<String, Object> body = view("Private " + run, Map.of(), List.of(), null, false);
        String privateId = post(me, body).then().statusCode(201).extract().path("viewId");

        // another user neither sees nor touches a private view: 404 for all of it
        assertFalse(visibleIds(other).contains(privateId));
        given().header("Authorization", other).get("/search/views/" + privateId).then().statusCode(404);
        put(other, privateId, with(body, "version", 1)).then().statusCode(404).body("code", equalTo("VIEW_NOT_FOUND"));
        given().header("Authorization", other).delete("/search/views/" + privateId).then().statusCode(404);

        // a shared view is seen by other staff, who may not change or delete it (403)
        String sharedId = post(me, view("Shared " + run, Map.of("status", "online"), List.of("itemId"), null, true))
                .then().statusCode(201).extract().path("viewId");
        JsonPath seen = given().header("Authorization", other).get("/search/views").then().statusCode(200).extract().jsonPath();
        assertTrue(seen.getList("items.viewId").contains(sharedId));
        assertFalse(seen.getList("items.viewId").contains(privateId));
        Map<String, Object> shared = seen.getMap("items.find { it.viewId == '" + sharedId + "' }");
        assertEquals(false, shared.get("mine"));
        assertEquals(Long.toString(owner + 100), shared.get("ownerId"));
        put(other, sharedId, with(view("Taken over", Map.of(), List.of(), null, true), "version", 1))
                .then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        given().header("Authorization", other).delete("/search/views/" + sharedId).then().statusCode(403);
        given().header("Authorization", me).get("/search/views/" + sharedId).then().statusCode(200).body("version", equalTo(1));

        // a merchant sees no staff view, shared or not
        assertFalse(visibleIds(merchantA).contains(sharedId));
        given().header("Authorization", merchantA).get("/search/views/" + sharedId).then().statusCode(404);
        given().header("Authorization", merchantA).delete("/search/views/" + sharedId).then().statusCode(404);

        // a merchant's shared view reaches its own shop's users, not other shops and not staff
        post(merchantA, view("Other shop " + run, Map.of("shopId", Long.toString(shopB)), List.of(), null, true))
                .then().statusCode(403).body("code", equalTo("FORBIDDEN")).body("field", equalTo("filter.shopId"));
        String merchantView = post(merchantA, view("Mine " + run, Map.of("shopId", Long.toString(shopA)), List.of("itemId", "price"), null, true))
                .then().statusCode(201).extract().path("viewId");
        assertTrue(visibleIds(Tokens.merchantBearer(base + 6, shopA)).contains(merchantView));
        assertFalse(visibleIds(Tokens.merchantBearer(base + 7, shopB)).contains(merchantView));
        assertFalse(visibleIds(other).contains(merchantView));
    }

    @Test
    void aViewIsCheckedLikeTheSearchItSaves() {
        String me = Tokens.bearer("risk_control", owner + 200);
        post(me, view("Bad key " + run, Map.of("colour", "red"), List.of(), null, false)).then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("filter.colour"));
        post(me, view("Bad price " + run, Map.of("priceMin", "abc"), List.of(), null, false)).then().statusCode(400)
                .body("field", equalTo("filter.priceMin"));
        post(me, view("Bad range " + run, Map.of("stockMin", 9, "stockMax", 1), List.of(), null, false)).then().statusCode(400)
                .body("code", equalTo("INVALID_RANGE")).body("field", equalTo("filter.stockMin"));
        post(me, view("Bad sort " + run, Map.of(), List.of(), "colour asc", false)).then().statusCode(400).body("field", equalTo("sort"));
        post(me, view("Bad column " + run, Map.of(), List.of("itemId", "colour"), null, false)).then().statusCode(400)
                .body("code", equalTo("UNKNOWN_COLUMN")).body("field", equalTo("columns[1]")).body("value", equalTo("colour"));
        post(me, view(" ", Map.of(), List.of(), null, false)).then().statusCode(400).body("code", equalTo("MISSING_FIELD"))
                .body("field", equalTo("name"));
        // paging keys are not part of a view and are dropped; sort given inside the filter is the view's sort
        JsonPath v = post(me, view("Paged " + run, Map.of("page", 3, "size", 50, "sort", "stock desc", "q", "room"), List.of(), null, false))
                .then().statusCode(201).extract().jsonPath();
        assertEquals(Map.of("q", "room"), v.getMap("filter"));
        assertEquals("stock desc", v.getString("sort"));
    }

    @Test
    void theOpenApiDocumentTypesEveryIdAsAString() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        List<String> integerIds = OpenApiIds.integerIds(doc);
        assertTrue(integerIds.isEmpty(), "integer-typed ids in /q/openapi: " + integerIds);
        for (String id : List.of("SavedView/properties/viewId", "SavedView/properties/ownerId", "ExportJob/properties/exportId")) {
            JsonNode schema = doc.at("/components/schemas/" + id);
            assertEquals("string", schema.path("type").asText(), id + ": " + schema);
        }
    }

    @Test
    void whoeverMaySearchMayKeepViews() {
        for (String role : List.of("operator", "auditor", "risk_control", "admin")) {
            given().header("Authorization", Tokens.bearer(role, owner + 300)).get("/search/views").then().statusCode(200);
        }
        given().header("Authorization", Tokens.merchantBearer(owner + 301, shopA)).get("/search/views").then().statusCode(200);
        given().header("Authorization", Tokens.bearer("supplier_admin", owner + 302)).get("/search/views").then().statusCode(403);
        given().header("Authorization", "Bearer " + Tokens.serviceToken()).get("/search/views").then().statusCode(403);
        given().get("/search/views").then().statusCode(401);
        given().contentType("application/json").body(Map.of("name", "x")).post("/search/views").then().statusCode(401);
    }
}
