package dev.marketops.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Who may work the review queue (AUDIT_DECIDE) and read a task's audit log and history
 * (LISTING_READ, a merchant only of its own shop's tasks), exactly as {@link Permission} says.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class AuditAccessTest {

    static final long CREATOR = 42;
    /** Seeded shops of listing-service (merchant id = shop id). */
    static final long SHOP = 1001, OTHER_SHOP = 1002;

    @ConfigProperty(name = "marketops.test.listing-url", defaultValue = "unset") // a test profile without the resource must still boot
    String listingUrl;

    static RequestSpecification as(String bearer) {
        return given().header("Authorization", bearer).contentType("application/json");
    }

    /** A merchant listing of SHOP, submitted: the AuditWorker queues it for a person. */
    long merchantTask() {
        String merchant = Tokens.merchantBearer(CREATOR, SHOP);
        Map<String, Object> draft = new HashMap<>(SampleListings.draft(SampleListings.DEAL, "merchant_portal", "merchant"));
        long taskId = as(merchant).baseUri(listingUrl).body(draft).post("/listings").then().statusCode(201)
                .extract().jsonPath().getLong("taskId");
        as(merchant).baseUri(listingUrl).body(Map.of("expectedVersion", 0)).post("/listings/" + taskId + "/actions/submit")
                .then().statusCode(200);
        return taskId;
    }

    long reviewOf(long taskId) throws InterruptedException {
        long[] id = new long[1];
        await("task " + taskId + " is in the review queue", () -> {
            List<Map<String, Object>> items = as(Tokens.bearer("auditor", 501)).queryParam("taskId", taskId)
                    .get("/reviews").jsonPath().getList("items");
            return items.stream().findFirst().map(i -> id[0] = Long.parseLong(String.valueOf(i.get("reviewId")))).isPresent();
        });
        return id[0];
    }

    String reviewStatus(long reviewId) {
        return as(Tokens.bearer("auditor", 501)).get("/reviews/" + reviewId).then().statusCode(200)
                .extract().jsonPath().getString("status");
    }

    @Test
    void reviewQueueActionsFollowTheRoleTable() throws Exception {
        long refused = reviewOf(merchantTask());
        for (String role : Roles.PEOPLE) {
            String token = role.equals(Roles.MERCHANT) ? Tokens.merchantBearer(CREATOR, SHOP) : Tokens.bearer(role, 700);
            if (!Permission.AUDIT_DECIDE.roles().contains(role)) {
                as(token).get("/reviews").then().statusCode(403);
                as(token).get("/reviews/" + refused).then().statusCode(403);
                as(token).post("/reviews/" + refused + "/claim").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
                as(token).body(Map.of()).post("/reviews/" + refused + "/approve").then().statusCode(403);
                as(token).body(Map.of("comment", "no")).post("/reviews/" + refused + "/reject").then().statusCode(403);
                assertEquals("pending", reviewStatus(refused), role);
                continue;
            }
            long user = 710 + Roles.PEOPLE.indexOf(role);
            String bearer = Tokens.bearer(role, user);
            long approve = reviewOf(merchantTask());
            long reject = reviewOf(merchantTask());
            as(bearer).get("/reviews/" + approve).then().statusCode(200);
            as(bearer).post("/reviews/" + approve + "/claim").then().statusCode(200).body("claimedBy", equalTo(String.valueOf(user)));
            as(bearer).body(Map.of()).post("/reviews/" + approve + "/approve").then().statusCode(200)
                    .body("status", equalTo("approved")).body("decidedBy", equalTo(String.valueOf(user)));
            as(bearer).body(Map.of("comment", "photos missing")).post("/reviews/" + reject + "/reject").then().statusCode(200)
                    .body("status", equalTo("rejected")).body("decidedBy", equalTo(String.valueOf(user)));
        }
        // anonymous: 401 and nothing moves
        given().post("/reviews/" + refused + "/claim").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().contentType("application/json").body(Map.of()).post("/reviews/" + refused + "/approve").then().statusCode(401);
        given().contentType("application/json").body(Map.of("comment", "x")).post("/reviews/" + refused + "/reject")
                .then().statusCode(401);
        assertEquals("pending", reviewStatus(refused));
    }

    @Test
    void aDecisionRecordsTheTokensUserNotABodyField() throws Exception {
        long taskId = merchantTask();
        long review = reviewOf(taskId);
        as(Tokens.bearer("auditor", 533)).body(Map.of("comment", "fine", "auditorId", 1, "operatorId", 1))
                .post("/reviews/" + review + "/approve").then().statusCode(200).body("decidedBy", equalTo("533"));
        as(Tokens.bearer("operator", 7)).queryParam("taskId", taskId).get("/audit-logs").then().statusCode(200)
                .body("[1].auditAction", equalTo("approve")).body("[1].auditorId", equalTo("533"));
    }

    @Test
    void aMerchantReadsOnlyTheRecordsOfItsOwnTasks() throws Exception {
        long taskId = merchantTask();
        reviewOf(taskId);
        String owner = Tokens.merchantBearer(CREATOR, SHOP);
        String other = Tokens.merchantBearer(43, OTHER_SHOP);

        as(owner).queryParam("taskId", taskId).get("/audit-logs").then().statusCode(200)
                .body("[0].auditAction", equalTo("queue"));
        await("the history is recorded", () -> !as(owner).queryParam("taskId", taskId).get("/listing-events")
                .jsonPath().getList("$").isEmpty());
        for (String path : List.of("/audit-logs", "/listing-events")) {
            as(other).queryParam("taskId", taskId).get(path).then().statusCode(404).body("code", equalTo("UNKNOWN_TASK"));
            // a task that does not exist answers the same
            as(other).queryParam("taskId", 987_654_321_123L).get(path).then().statusCode(404).body("code", equalTo("UNKNOWN_TASK"));
            // staff with LISTING_READ see it; those without are 403; nobody anonymous
            for (String role : Roles.PEOPLE) {
                if (role.equals(Roles.MERCHANT)) {
                    continue;
                }
                int expected = Permission.LISTING_READ.roles().contains(role) ? 200 : 403;
                as(Tokens.bearer(role, 800)).queryParam("taskId", taskId).get(path).then().statusCode(expected);
            }
            given().queryParam("taskId", taskId).get(path).then().statusCode(401);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
