package dev.marketops.supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The supplier registry is for supplier admins and admins only (supplier:admin); no token is a 401. */
@QuarkusTest
class SupplierAccessTest {

    record Call(String name, Function<RequestSpecification, Response> send) {
    }

    static final List<Call> CALLS = List.of(
            new Call("GET /suppliers", r -> r.get("/suppliers")),
            new Call("GET /suppliers?categoryCode=HOTEL", r -> r.queryParam("categoryCode", "HOTEL").get("/suppliers")),
            new Call("GET /suppliers/{code}", r -> r.get("/suppliers/HOTEL_100001")),
            new Call("GET /suppliers/sync-state", r -> r.get("/suppliers/sync-state")),
            new Call("GET /suppliers/{code}/items", r -> r.get("/suppliers/HOTEL_100001/items")),
            new Call("GET /suppliers/{code}/failures", r -> r.get("/suppliers/HOTEL_100001/failures")));

    /** Writes: refused before anything is read or changed (a 2xx is not expected here: the bodies are empty). */
    static final List<Call> WRITES = List.of(
            new Call("POST /suppliers", r -> r.contentType("application/json").body("{}").post("/suppliers")),
            new Call("PUT /suppliers/{code}", r -> r.contentType("application/json").body("{}").put("/suppliers/HOTEL_100001")),
            new Call("DELETE /suppliers/{code}", r -> r.delete("/suppliers/HOTEL_100001")),
            new Call("POST /suppliers/{code}/pull", r -> r.post("/suppliers/MOVIE_100002/pull")));

    @Test
    void everyEndpointFollowsThePermissionTable() {
        assertEquals(Set.of(Roles.SUPPLIER_ADMIN, Roles.ADMIN), Permission.SUPPLIER_ADMIN.roles());
        for (Call call : CALLS) {
            for (String role : Roles.PEOPLE) {
                int expected = Permission.SUPPLIER_ADMIN.roles().contains(role) ? 200 : 403;
                String token = Roles.MERCHANT.equals(role) ? Tokens.merchantBearer(71, 1071) : Tokens.bearer(role, 70);
                Response r = call.send().apply(given().header("Authorization", token));
                assertEquals(expected, r.statusCode(), call.name() + " as " + role + ": " + r.asString());
                if (expected == 403) {
                    assertEquals("FORBIDDEN", r.jsonPath().getString("code"), call.name() + " as " + role);
                }
            }
            // a supplier system's own client credentials do not open the registry either
            for (String machine : List.of(Roles.SUPPLIER, Roles.SERVICE)) {
                assertEquals(403, call.send().apply(given().header("Authorization", Tokens.bearer(machine, 72))).statusCode(),
                        call.name() + " as " + machine);
            }
        }
    }

    @Test
    void writesAreForSupplierAdminsToo() {
        for (Call call : WRITES) {
            for (String role : Roles.PEOPLE) {
                String token = Roles.MERCHANT.equals(role) ? Tokens.merchantBearer(71, 1071) : Tokens.bearer(role, 70);
                Response r = call.send().apply(given().header("Authorization", token));
                if (Permission.SUPPLIER_ADMIN.roles().contains(role)) {
                    // allowed in: the empty body / missing version / push-only supplier is the answer, not a 403
                    org.junit.jupiter.api.Assertions.assertTrue(r.statusCode() == 400 || r.statusCode() == 409,
                            call.name() + " as " + role + ": " + r.asString());
                } else {
                    assertEquals(403, r.statusCode(), call.name() + " as " + role);
                }
            }
            for (String machine : List.of(Roles.SUPPLIER, Roles.SERVICE)) {
                assertEquals(403, call.send().apply(given().header("Authorization", Tokens.bearer(machine, 72))).statusCode(),
                        call.name() + " as " + machine);
            }
        }
    }

    @Test
    void withoutAValidTokenEveryEndpointIs401() {
        for (Call call : concat(CALLS, WRITES)) {
            for (RequestSpecification anonymous : List.of(given(), given().header("Authorization", "Bearer " + Tokens.expired("admin", 1)),
                    given().header("Authorization", "Bearer " + Tokens.forged("supplier_admin", 1)))) {
                Response r = call.send().apply(anonymous);
                assertEquals(401, r.statusCode(), call.name());
                assertEquals("UNAUTHENTICATED", r.jsonPath().getString("code"), call.name());
            }
        }
    }

    private static List<Call> concat(List<Call> a, List<Call> b) {
        List<Call> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void aPageBeyondWhatAnOffsetHoldsIs400NotA500() {
        given().header("Authorization", Tokens.bearer("admin", 73)).queryParam("page", 20_000_000).queryParam("size", 200)
                .get("/suppliers").then().statusCode(400).body("code", equalTo("INVALID_FIELD")).body("field", equalTo("page"));
        // the fleet's cap (Page.MAX_OFFSET): page * size up to 10,000 is served, deeper is refused
        given().header("Authorization", Tokens.bearer("admin", 73)).queryParam("page", 50).queryParam("size", 200)
                .get("/suppliers").then().statusCode(200).body("items.size()", equalTo(0));
        given().header("Authorization", Tokens.bearer("admin", 73)).queryParam("page", 51).queryParam("size", 200)
                .get("/suppliers").then().statusCode(400).body("field", equalTo("page")).body("maxResults", equalTo(10_000));
    }
}
