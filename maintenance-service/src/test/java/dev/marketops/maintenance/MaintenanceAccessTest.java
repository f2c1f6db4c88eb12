package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Who may see what maintenance knows: dead letters (whole events of any shop) are admin only,
 * job runs and statistics are for the staff roles of Permission's table; no token is a 401.
 */
@QuarkusTest
class MaintenanceAccessTest {

    record Call(String name, Permission permission, Function<RequestSpecification, Response> send) {
    }

    static final List<Call> CALLS = List.of(
            new Call("GET /dead-letters", Permission.DEAD_LETTERS, r -> r.get("/dead-letters")),
            new Call("GET /dead-letters?status=new", Permission.DEAD_LETTERS, r -> r.queryParam("status", "new").get("/dead-letters")),
            new Call("GET /job-runs", Permission.STATISTICS_READ, r -> r.get("/job-runs")),
            new Call("GET /job-runs?jobName=statistics", Permission.STATISTICS_READ,
                    r -> r.queryParam("jobName", "statistics").queryParam("limit", 1).get("/job-runs")));

    @Test
    void everyEndpointFollowsThePermissionTable() {
        for (Call call : CALLS) {
            for (String role : Roles.PEOPLE) {
                int expected = call.permission().roles().contains(role) ? 200 : 403;
                String token = Roles.MERCHANT.equals(role) ? Tokens.merchantBearer(61, 1061) : Tokens.bearer(role, 60);
                Response r = call.send().apply(given().header("Authorization", token));
                assertEquals(expected, r.statusCode(), call.name() + " as " + role + ": " + r.asString());
                if (expected == 403) {
                    assertEquals("FORBIDDEN", r.jsonPath().getString("code"), call.name() + " as " + role);
                }
            }
            assertEquals(403, call.send().apply(given().header("Authorization", "Bearer " + Tokens.serviceToken())).statusCode(),
                    call.name() + " with a service token");
        }
        // the table as the README states it, so a change to Permission is seen here too
        assertEquals(java.util.Set.of(Roles.ADMIN), Permission.DEAD_LETTERS.roles());
        assertEquals(java.util.Set.of(Roles.OPERATOR, Roles.AUDITOR, Roles.RISK_CONTROL, Roles.ADMIN), Permission.STATISTICS_READ.roles());
    }

    @Test
    void withoutAValidTokenEveryEndpointIs401() {
        for (Call call : CALLS) {
            for (RequestSpecification anonymous : List.of(given(), given().header("Authorization", "Bearer " + Tokens.expired("admin", 1)),
                    given().header("Authorization", "Bearer " + Tokens.forged("admin", 1)))) {
                Response r = call.send().apply(anonymous);
                assertEquals(401, r.statusCode(), call.name());
                assertEquals("UNAUTHENTICATED", r.jsonPath().getString("code"), call.name());
            }
        }
    }
}
