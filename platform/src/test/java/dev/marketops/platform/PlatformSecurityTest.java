package dev.marketops.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deny by default, token checks, permissions from roles, who acts, rate limits: the platform's rules on a real service. */
@QuarkusTest
class PlatformSecurityTest {

    @Test
    void withoutAValidTokenEveryNonPublicPathIs401ProblemJson() {
        for (String path : List.of("/test-secured/config-write", "/test-secured/forgotten", "/test-secured/listing-read")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json").body("code", equalTo("UNAUTHENTICATED"));
        }
        given().header("Authorization", "Bearer " + Tokens.forged("admin", 1)).get("/test-secured/config-write")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer " + Tokens.expired("admin", 1)).get("/test-secured/config-write")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer not.a.jwt").get("/test-secured/config-write").then().statusCode(401);
        // the public list
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void anUnannotatedEndpointIsClosedEvenToAdmins() {
        given().header("Authorization", Tokens.bearer("admin", 1)).get("/test-secured/forgotten").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void permissionsFollowTheRoleTable() {
        for (String role : Roles.PEOPLE) {
            int expected = Permission.CONFIG_WRITE.roles().contains(role) ? 200 : 403;
            given().header("Authorization", Tokens.bearer(role, 5)).get("/test-secured/config-write").then()
                    .statusCode(expected);
        }
        given().header("Authorization", Tokens.bearer("service", 5)).get("/test-secured/config-write").then().statusCode(403);
    }

    @Test
    void whoActsComesFromTheTokenAndABodyThatDisagreesIsRefused() {
        given().header("Authorization", Tokens.merchantBearer(77, 1077)).header("User-Agent", "probe/1.0")
                .header("X-Forwarded-For", "203.0.113.9")
                .get("/test-secured/listing-read").then().statusCode(200)
                .body("userId", equalTo("77")).body("type", equalTo("merchant")).body("merchantId", equalTo("1077"))
                .body("ip", equalTo("203.0.113.9")).body("userAgent", equalTo("probe/1.0"));
        given().header("Authorization", Tokens.bearer("operator", 7)).queryParam("creatorId", 7)
                .get("/test-secured/listing-read").then().statusCode(200);
        given().header("Authorization", Tokens.bearer("operator", 7)).queryParam("creatorId", 9101)
                .get("/test-secured/listing-read").then().statusCode(400)
                .body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("creatorId"));
    }

    @Test
    void aBurstOverTheLimitGets429WithRetryAfter() {
        // bucket test-burst: 5 tokens, 1 per second (src/test/resources/application.properties)
        String user = Tokens.bearer("operator", System.nanoTime() % 1_000_000 + 10_000);
        List<Integer> codes = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 8; i++) {
            Response r = given().header("Authorization", user).post("/test-secured/limited");
            codes.add(r.statusCode());
            if (r.statusCode() == 429) {
                refused = r;
            }
        }
        assertEquals(5, codes.stream().filter(c -> c == 200).count(), "5 of 8 pass: " + codes);
        assertTrue(refused != null, "over the limit: " + codes);
        assertEquals("RATE_LIMITED", refused.jsonPath().getString("code"));
        assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1, refused.headers().toString());
        // another caller has its own bucket
        given().header("Authorization", Tokens.bearer("operator", System.nanoTime() % 1_000_000 + 2_000_000))
                .post("/test-secured/limited").then().statusCode(200).body(notNullValue());
    }
}
