package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.asOperator;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionRequest;
import io.agroal.api.AgroalDataSource;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class TransitionTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub grpc;

    /**
     * A merchant's listing: its audit is manual, so no audit-service that may be running
     * against the same database moves it while the test drives the transitions itself.
     */
    private long newDraft() {
        return TestCallers.asMerchant(9, TestCallers.HARBOUR_DEALS).body(TestCallers.merchantDraft(SampleListings.DEAL, "merchant_portal"))
                .post("/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
    }

    private io.restassured.response.ValidatableResponse act(long taskId, String action, long version) {
        return asOperator().body(Map.of("expectedVersion", version))
                .post("/listings/" + taskId + "/actions/" + action).then();
    }

    @Test
    void aTaskWalksTheWholeLifecycleAndEveryStepIsRecordedWithItsEvents() {
        long taskId = newDraft();
        act(taskId, "submit", 0).statusCode(200).body("statusName", equalTo("PENDING_AUDIT")).body("version", equalTo(1));
        grpc.transition(TransitionRequest.newBuilder().setTaskId(taskId).setAction("approve").setExpectedVersion(1)
                .setOperatorType("system").setAuditType("skip").setReason("operator source").build());
        act(taskId, "publish", 2).statusCode(200).body("statusName", equalTo("ONLINE"));
        act(taskId, "maintain", 3).statusCode(200).body("statusName", equalTo("MAINTAIN"));
        act(taskId, "online", 4).statusCode(200).body("statusName", equalTo("ONLINE"));
        act(taskId, "offline", 5).statusCode(200).body("statusName", equalTo("OFFLINE"));

        asOperator().get("/listings/" + taskId + "/history").then()
                .body("action", equalTo(List.of("create", "submit", "approve", "publish", "maintain", "online", "offline")));
        String key = Long.toString(taskId);
        assertEquals(7, count("SELECT count(*) FROM outbox_event WHERE msg_key = '" + key + "' AND topic = 'listing.lifecycle'"));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE msg_key = '" + key + "' AND topic = 'listing.audit.pending'"));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE msg_key = '" + key + "' AND topic = 'listing.publish.ready'"));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE msg_key = '" + key + "' AND topic = 'listing.published'"));
        asOperator().get("/listings/" + taskId).then().body("auditType", equalTo("skip"));
    }

    @Test
    void illegalTransitionsAreRefusedNamingFromAndActionAndChangeNothing() {
        long taskId = newDraft();
        act(taskId, "publish", 0).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("ILLEGAL_TRANSITION")).body("from", equalTo("DRAFT"))
                .body("action", equalTo("publish")).body("allowedActions", hasItem("submit"));
        act(taskId, "approve", 0).statusCode(404).body("code", equalTo("UNKNOWN_ACTION"));
        act(taskId, "submit", 0).statusCode(200);
        // editing is allowed only in DRAFT and REJECTED
        asOperator().body(Map.of("expectedVersion", 1, "title", "new"))
                .put("/listings/" + taskId).then().statusCode(409).body("code", equalTo("ILLEGAL_TRANSITION"))
                .body("from", equalTo("PENDING_AUDIT")).body("action", equalTo("edit"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> grpc.transition(
                TransitionRequest.newBuilder().setTaskId(taskId).setAction("publish").setExpectedVersion(-1).build()));
        assertEquals("ILLEGAL_TRANSITION", e.getTrailers().get(GrpcProblems.PROBLEM_CODE));
        assertEquals(2, count("SELECT count(*) FROM listing_state_history WHERE task_id = " + taskId));
    }

    @Test
    void aRejectedTaskCanBeEditedAndResubmitted() {
        long taskId = newDraft();
        act(taskId, "submit", 0).statusCode(200);
        grpc.transition(TransitionRequest.newBuilder().setTaskId(taskId).setAction("reject").setExpectedVersion(1)
                .setReason("face_value missing").setAuditType("auto").build());
        Map<String, Object> fixed = SampleListings.itemData(SampleListings.DEAL);
        fixed.put("sale_price", 80);
        asOperator().body(Map.of("expectedVersion", 2, "itemData", fixed))
                .put("/listings/" + taskId).then().statusCode(200).body("statusName", equalTo("REJECTED"))
                .body("itemData.sale_price", equalTo(80)).body("version", equalTo(3));
        act(taskId, "submit", 3).statusCode(200).body("statusName", equalTo("PENDING_AUDIT"));
    }

    @Test
    void aTaskWithBadAttributesCannotBeSubmittedAndStaysADraft() {
        Map<String, Object> movie = CreateListingTest.draft(SampleListings.MOVIE);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) movie.get("itemData");
        data.put("show_time", "2020-01-01T20:00:00Z");   // in the past
        data.put("ticket_type", "VIP");                  // not in the enum
        data.remove("movie_name");                       // required
        long taskId = asOperator().body(movie).post("/listings").then().statusCode(201)
                .extract().jsonPath().getLong("taskId");
        act(taskId, "submit", 0).statusCode(400).body("code", equalTo("VALIDATION_FAILED"))
                .body("violations.field", hasItem("movie_name")).body("violations.rule", hasItem("required"))
                .body("violations.find { it.field == 'show_time' }.rule", equalTo("min"))
                .body("violations.find { it.field == 'ticket_type' }.rule", equalTo("enum"));

        Map<String, Object> topup = CreateListingTest.draft(SampleListings.TOPUP);
        ((Map<String, Object>) topup.get("itemData")).put("denomination", "fifty");
        long wrongType = asOperator().body(topup).post("/listings").then().statusCode(201)
                .extract().jsonPath().getLong("taskId");
        act(wrongType, "submit", 0).statusCode(400).body("field", equalTo("itemData.denomination")).body("rule", equalTo("type"));

        asOperator().get("/listings/" + taskId).then().body("statusName", equalTo("DRAFT")).body("version", equalTo(0));
        assertEquals(1, count("SELECT count(*) FROM listing_state_history WHERE task_id = " + taskId));
    }

    @Test
    void aStaleVersionGets409WithTheCurrentVersionAndOnlyOneOfConcurrentWritersWins() throws Exception {
        long taskId = newDraft();
        asOperator().body(Map.of("expectedVersion", 0, "title", "first edit"))
                .put("/listings/" + taskId).then().statusCode(200);
        asOperator().body(Map.of("expectedVersion", 0, "title", "lost update"))
                .put("/listings/" + taskId).then().statusCode(409).body("code", equalTo("STALE_VERSION"))
                .body("currentVersion", equalTo(1)).body("expectedVersion", equalTo(0));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> act(taskId, "submit", 1).extract().statusCode()));
            }
            int ok = 0;
            int conflicts = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                if (status == 200) {
                    ok++;
                } else if (status == 409) {
                    conflicts++;
                }
            }
            assertEquals(1, ok, "exactly one concurrent submit wins");
            assertEquals(3, conflicts);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("SELECT count(*) FROM listing_state_history WHERE task_id = " + taskId + " AND action = 'submit'"));
    }

    private long count(String sql) {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
