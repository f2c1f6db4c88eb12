package dev.marketops.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.projection.RedisProjection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may read the catalogue and run reconciliations (Permission's table, role by role), the
 * merchant's confinement to its own shop in reads and searches, and the deep-page cap.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchAccessTest {

    @Inject
    RedisProjection redis;
    @Inject
    SearchIndex index;

    final String tag = "access-" + System.nanoTime();
    // Two shops of this run: merchant A (user 501) and merchant B (user 502).
    final long shopA = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    final long shopB = shopA + 1;
    ItemSnapshot a1, a2, b1;

    @BeforeAll
    void project() {
        a1 = Snapshots.item(1200).title("Shop A voucher").tags(tag).shop(shopA).build();
        a2 = Snapshots.item(2100).title("Shop A room").status("offline").tags(tag).shop(shopA).build();
        b1 = Snapshots.item(1200).title("Shop B voucher").tags(tag).shop(shopB).build();
        List<ItemProjection> projections = ItemProjection.inScope(List.of(a1, a2, b1));
        assertEquals(3, redis.write(projections, false));
        assertEquals(3, index.bulkIndex(projections, false).written());
    }

    /** Each endpoint, called so that a caller who may use it gets {@code allowed}. */
    record Call(String name, Permission permission, int allowed, java.util.function.Function<RequestSpecification, Response> send) {
    }

    List<Call> calls() {
        return List.of(
                new Call("GET /items/{id}", Permission.CATALOGUE_READ, 200, r -> r.get("/items/" + a1.getItemId())),
                new Call("GET /search/items", Permission.CATALOGUE_READ, 200, r -> r.queryParam("tags", tag).get("/search/items")),
                new Call("GET /search/facets", Permission.CATALOGUE_READ, 200, r -> r.queryParam("tags", tag).get("/search/facets")),
                // an invalid scope: the permission is checked first, so allowed callers get the 400 and no run starts
                new Call("POST /reconciliations", Permission.RECONCILIATION, 400,
                        r -> r.contentType("application/json").body(Map.of("afterItemId", -1)).post("/reconciliations")),
                new Call("GET /reconciliations", Permission.RECONCILIATION, 200, r -> r.get("/reconciliations")),
                new Call("GET /reconciliations/{id}", Permission.RECONCILIATION, 404, r -> r.get("/reconciliations/1")));
    }

    /** A user of the role; the merchant is shop A's, so the item it reads is its own. */
    String token(String role) {
        return Roles.MERCHANT.equals(role) ? Tokens.merchantBearer(501, shopA) : Tokens.bearer(role, 40);
    }

    @Test
    void everyEndpointFollowsThePermissionTable() {
        for (Call call : calls()) {
            for (String role : Roles.PEOPLE) {
                int expected = call.permission().roles().contains(role) ? call.allowed() : 403;
                Response r = call.send().apply(given().header("Authorization", token(role)));
                assertEquals(expected, r.statusCode(), call.name() + " as " + role + ": " + r.asString());
                if (expected == 403) {
                    assertEquals("FORBIDDEN", r.jsonPath().getString("code"), call.name() + " as " + role);
                }
            }
            Response service = call.send().apply(given().header("Authorization", "Bearer " + Tokens.serviceToken()));
            assertEquals(403, service.statusCode(), call.name() + " with a service token");
        }
    }

    @Test
    void withoutATokenEveryEndpointIs401() {
        for (Call call : calls()) {
            Response r = call.send().apply(given());
            assertEquals(401, r.statusCode(), call.name());
            assertEquals("UNAUTHENTICATED", r.jsonPath().getString("code"), call.name());
        }
    }

    @Test
    void aMerchantCannotReadAnotherShopsItem() {
        String merchantA = Tokens.merchantBearer(501, shopA);
        Response own = given().header("Authorization", merchantA).get("/items/" + a1.getItemId());
        assertEquals(200, own.statusCode(), own.asString());
        // getLong: a shop id below 2^31 parses as an Integer, which never equals a Long
        assertEquals(shopA, own.jsonPath().getLong("shopId"));
        // another shop's item is "not found" (not 403), and nothing of it is in the answer
        Response other = given().header("Authorization", merchantA).get("/items/" + b1.getItemId());
        assertEquals(404, other.statusCode(), other.asString());
        assertEquals("ITEM_NOT_FOUND", other.jsonPath().getString("code"));
        assertEquals(b1.getItemId(), other.jsonPath().getLong("itemId"));
        assertTrue(!other.asString().contains("Shop B") && !other.asString().contains(Long.toString(shopB)),
                "nothing of the item leaks: " + other.asString());
        // merchant B reads its own, not A's
        String merchantB = Tokens.merchantBearer(502, shopB);
        given().header("Authorization", merchantB).get("/items/" + b1.getItemId()).then().statusCode(200);
        given().header("Authorization", merchantB).get("/items/" + a1.getItemId()).then().statusCode(404);
        // staff read both
        for (ItemSnapshot i : List.of(a1, b1)) {
            given().header("Authorization", Tokens.bearer("risk_control", 41)).get("/items/" + i.getItemId()).then().statusCode(200);
        }
    }

    @Test
    void aMerchantsSearchAndFacetsHoldOnlyItsOwnShop() {
        String merchantA = Tokens.merchantBearer(501, shopA);
        JsonPath own = given().header("Authorization", merchantA).queryParam("tags", tag).queryParam("status", "online,offline")
                .get("/search/items").then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of(a1.getItemId(), a2.getItemId()), new HashSet<>(own.getList("items.itemId", Long.class)));
        assertEquals(Set.of(shopA), new HashSet<>(own.getList("items.shopId", Long.class)));
        assertEquals(2, own.getLong("total"));
        given().header("Authorization", merchantA).queryParam("tags", tag).queryParam("status", "online,offline")
                .get("/search/facets").then().statusCode(200).body("total", equalTo(2));
        // naming its own shop is fine; another shop is refused, whichever parameter names it
        given().header("Authorization", merchantA).queryParam("tags", tag).queryParam("shopId", shopA).get("/search/items")
                .then().statusCode(200).body("total", equalTo(2));
        for (String param : List.of("shopId", "merchantId")) {
            for (String path : List.of("/search/items", "/search/facets")) {
                given().header("Authorization", merchantA).queryParam("tags", tag).queryParam(param, shopB).get(path)
                        .then().statusCode(403).body("code", equalTo("FORBIDDEN")).body("field", equalTo(param));
            }
        }
        // merchant B sees only B's; staff see both shops
        JsonPath theirs = given().header("Authorization", Tokens.merchantBearer(502, shopB)).queryParam("tags", tag)
                .get("/search/items").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(b1.getItemId()), theirs.getList("items.itemId", Long.class));
        given().header("Authorization", Tokens.bearer("operator", 42)).queryParam("tags", tag).queryParam("status", "online,offline")
                .get("/search/items").then().statusCode(200).body("total", equalTo(3));
        given().header("Authorization", Tokens.bearer("operator", 42)).queryParam("tags", tag).queryParam("shopId", shopB)
                .get("/search/items").then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void pagesBeyondTheResultWindowAre400NamingPage() {
        String auditor = Tokens.bearer("auditor", 43);
        // the last page inside the window: (499 + 1) * 20 = 10,000
        given().header("Authorization", auditor).queryParam("tags", tag).queryParam("page", 499).queryParam("size", 20)
                .get("/search/items").then().statusCode(200).body("items.size()", equalTo(0));
        for (Map<String, Object> deep : List.of(Map.<String, Object>of("page", 500, "size", 20), Map.<String, Object>of("page", 50, "size", 200),
                Map.<String, Object>of("page", Integer.MAX_VALUE, "size", 200))) {
            given().header("Authorization", auditor).queryParam("tags", tag).queryParams(deep).get("/search/items").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("page")).body("maxResults", equalTo(10_000));
        }
    }

    @Test
    void aStartedRunRecordsWhoStartedIt() throws InterruptedException {
        // item ids 0..1 exist nowhere: the run has nothing to scan (or fails without a catalogue); either way it is recorded
        long runId = given().header("Authorization", Tokens.bearer("admin", 4711)).header("User-Agent", "access-test/1.0")
                .contentType("application/json").body(Map.of("afterItemId", 0, "untilItemId", 1)).post("/reconciliations")
                .then().statusCode(202).extract().jsonPath().getLong("runId");
        JsonPath run = given().header("Authorization", Tokens.bearer("operator", 9)).get("/reconciliations/" + runId)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(4711L, run.getLong("startedBy"));
        assertEquals("admin", run.getString("startedByRole"));
        assertEquals("manual", run.getString("trigger"));
        // let it end, so no other test meets a busy instance
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ("running".equals(given().header("Authorization", Tokens.bearer("operator", 9)).get("/reconciliations/" + runId)
                .then().extract().path("status")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
