package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.as;
import static dev.marketops.listing.TestCallers.asMerchant;
import static dev.marketops.listing.TestCallers.asOperator;
import static dev.marketops.listing.TestCallers.merchantDraft;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.TransitionRequest;
import io.agroal.api.AgroalDataSource;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The soft delete of a listing task (DELETE /listings/{id}): only from DRAFT, REJECTED and
 * OFFLINE, with the caller's version, by whoever may write listings (a merchant only in its own
 * shop); the task then is unknown to reads (REST and gRPC), gone from lists, its row kept with
 * deleted_at for DataCleanupWorker, and the deletion recorded in its history and lifecycle feed.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class DeleteListingTest {

    /** Merchant user 611 of Harbour Deals, and one of City Stays. */
    private static final String OWNER = Tokens.merchantBearer(611, TestCallers.HARBOUR_DEALS);
    private static final String OTHER_SHOP = Tokens.merchantBearer(612, TestCallers.CITY_STAYS);

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub grpc;
    @GrpcClient("listing-self")
    ListingQueriesGrpc.ListingQueriesBlockingStub queries;

    private long draft(String idempotencyKey) {
        RequestSpecification req = as(OWNER).body(merchantDraft(SampleListings.DEAL, "merchant_portal"));
        if (idempotencyKey != null) {
            req = req.header("Idempotency-Key", idempotencyKey);
        }
        return req.post("/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
    }

    private static io.restassured.response.ValidatableResponse delete(String bearer, long taskId, Long version) {
        RequestSpecification req = as(bearer);
        if (version != null) {
            req = req.queryParam("expectedVersion", version);
        }
        return req.queryParam("reason", "not needed any more").delete("/listings/" + taskId).then();
    }

    @Test
    void aMerchantDeletesItsDraftAndTheTaskIsGoneFromReadsAndListsButKeptForThePurge() throws Exception {
        long task = draft(null);

        delete(OWNER, task, 0L).statusCode(204);

        as(OWNER).get("/listings/" + task).then().statusCode(404).body("code", equalTo("UNKNOWN_TASK"));
        asOperator().get("/listings/" + task + "/history").then().statusCode(404);
        List<Object> listed = as(OWNER).queryParam("size", 200).get("/listings").then().statusCode(200).extract().jsonPath()
                .getList("items.taskId");
        assertEquals(false, listed.stream().map(String::valueOf).anyMatch(String.valueOf(task)::equals), "listed: " + listed);
        assertEquals("NOT_FOUND", assertThrows(StatusRuntimeException.class,
                () -> grpc.getTask(GetTaskRequest.newBuilder().setTaskId(task).build())).getStatus().getCode().name());
        assertEquals(0, queries.getTasks(GetTasksRequest.newBuilder().addTaskIds(task).build()).getTasksCount());
        // deleting again, or acting on it: unknown
        delete(OWNER, task, 1L).statusCode(404);
        as(OWNER).body(Map.of("expectedVersion", 1)).post("/listings/" + task + "/actions/submit").then().statusCode(404);

        // the row stays, marked, for DataCleanupWorker; its status is unchanged and the deletion is in its history and feed
        assertEquals("0|1|true", text("SELECT status || '|' || version || '|' || (deleted_at IS NOT NULL) FROM listing_task WHERE task_id = " + task));
        assertEquals("delete|0|0|611|not needed any more", text("SELECT action || '|' || from_status || '|' || to_status || '|' || operator_id"
                + " || '|' || reason FROM listing_state_history WHERE task_id = " + task + " AND action = 'delete'"));
        assertEquals("1", text("SELECT count(*) FROM outbox_event WHERE msg_key = '" + task + "' AND topic = 'listing.lifecycle' "
                + "AND event_type = 'deleted'"));
    }

    @Test
    void onlyDraftRejectedAndOfflineTasksMayBeDeletedAndOnlyWithTheCurrentVersion() {
        long task = draft(null);
        delete(OWNER, task, null).statusCode(400).body("code", equalTo("MISSING_FIELD"));
        delete(OWNER, task, 7L).statusCode(409).body("code", equalTo("STALE_VERSION"));

        as(OWNER).body(Map.of("expectedVersion", 0)).post("/listings/" + task + "/actions/submit").then().statusCode(200);
        delete(OWNER, task, 1L).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("ILLEGAL_TRANSITION")).body("from", equalTo("PENDING_AUDIT")).body("action", equalTo("delete"));
        // the later states, put in place directly (a running fleet on this database would publish an approved task meanwhile)
        for (String busy : List.of("APPROVED", "ONLINE", "MAINTAIN", "OUT_OF_STOCK")) {
            setStatus(task, busy);
            delete(OWNER, task, 1L).statusCode(409).body("code", equalTo("ILLEGAL_TRANSITION")).body("from", equalTo(busy));
        }
        setStatus(task, "OFFLINE");
        delete(OWNER, task, 1L).statusCode(204);
        asOperator().get("/listings/" + task).then().statusCode(404);

        long rejected = draft(null);
        as(OWNER).body(Map.of("expectedVersion", 0)).post("/listings/" + rejected + "/actions/submit").then().statusCode(200);
        grpc.transition(TransitionRequest.newBuilder().setTaskId(rejected).setAction("reject").setExpectedVersion(1)
                .setOperatorType("auditor").setOperatorId(77).setAuditType("manual").setReason("blurry photo").build());
        // staff may delete too; the transition calls do not take delete
        assertThrows(StatusRuntimeException.class, () -> grpc.transition(TransitionRequest.newBuilder().setTaskId(rejected)
                .setAction("delete").setExpectedVersion(2).build()));
        delete(Tokens.bearer("operator", 42), rejected, 2L).statusCode(204);
    }

    @Test
    void aMerchantDeletesOnlyItsOwnShopsTasksAndReadersMayNotDelete() {
        long task = draft(null);
        delete(OTHER_SHOP, task, 0L).statusCode(404).body("code", equalTo("UNKNOWN_TASK"));
        delete(Tokens.bearer("auditor", 300), task, 0L).statusCode(403);
        io.restassured.RestAssured.given().queryParam("expectedVersion", 0).delete("/listings/" + task).then().statusCode(401);
        as(OWNER).get("/listings/" + task).then().statusCode(200).body("version", equalTo(0));
    }

    @Test
    void aRetriedCreateOfADeletedTaskIsRefusedNotMadeAgain() {
        String key = "delete-test-" + UUID.randomUUID();
        long task = draft(key);
        delete(OWNER, task, 0L).statusCode(204);
        as(OWNER).header("Idempotency-Key", key).body(merchantDraft(SampleListings.DEAL, "merchant_portal")).post("/listings").then()
                .statusCode(409).body("code", equalTo("TASK_DELETED"));
        assertEquals("1", text("SELECT count(*) FROM listing_task WHERE idempotency_key = '" + key + "'"));
    }

    private void setStatus(long task, String status) {
        try (Connection c = ds.getConnection(); var ps = c.prepareStatement("UPDATE listing_task SET status = ? WHERE task_id = ?")) {
            ps.setInt(1, dev.marketops.listing.task.ListingStatus.valueOf(status).code);
            ps.setLong(2, task);
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String text(String sql) throws RuntimeException {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
