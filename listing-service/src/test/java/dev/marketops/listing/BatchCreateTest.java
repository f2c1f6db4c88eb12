package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.asOperator;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.CreateTasksReply;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class BatchCreateTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub grpc;

    @Test
    void goodItemsAreCreatedTogetherAndEachBadOneIsReportedByIndex() {
        long batchId = System.nanoTime();
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (long category : SampleListings.SEVEN) {
            tasks.add(TestCallers.operatorDraft(category, "excel_batch", TestCallers.HARBOUR_DEALS));
        }
        Map<String, Object> unknown = TestCallers.operatorDraft(SampleListings.DEAL, "excel_batch", TestCallers.HARBOUR_DEALS);
        unknown.put("categoryId", 987654);
        tasks.add(unknown);                                          // index 7
        Map<String, Object> noTitle = TestCallers.operatorDraft(SampleListings.DEAL, "excel_batch", TestCallers.HARBOUR_DEALS);
        noTitle.remove("title");
        tasks.add(noTitle);                                          // index 8

        asOperator().body(Map.of("batchId", batchId, "tasks", tasks))
                .post("/listings/batch").then().statusCode(200)
                .body("created", equalTo(7)).body("failed", equalTo(2))
                .body("results[0].errorCode", nullValue())
                .body("results[7].errorCode", equalTo("UNKNOWN_CATEGORY")).body("results[7].errorField", equalTo("categoryId"))
                .body("results[8].errorCode", equalTo("MISSING_FIELD")).body("results[8].errorField", equalTo("title"));

        assertEquals(7, count("SELECT count(*) FROM listing_task WHERE batch_id = " + batchId + " AND status = 0 AND task_type = 'batch_import'"));
        assertEquals(7, count("SELECT count(*) FROM listing_state_history h JOIN listing_task t USING (task_id) WHERE t.batch_id = " + batchId));
        assertEquals(7, count("SELECT count(*) FROM outbox_event o JOIN listing_task t ON o.msg_key = t.task_id::text WHERE t.batch_id = " + batchId));

        // the operators' query finds them by batch, category, source, creator and time
        asOperator().queryParam("batchId", batchId).queryParam("createdBy", 42).queryParam("sourceType", "excel_batch")
                .queryParam("createdFrom", java.time.OffsetDateTime.now().minusMinutes(5).toString())
                .get("/listings").then().statusCode(200).body("total", equalTo(7));
        asOperator().queryParam("batchId", batchId).queryParam("categoryId", SampleListings.HOTEL).get("/listings").then()
                .body("total", equalTo(1)).body("items[0].categoryId", equalTo("2100"));
        asOperator().queryParam("createdFrom", "yesterday").get("/listings").then().statusCode(400)
                .body("field", equalTo("createdFrom"));
    }

    @Test
    void aRetriedBatchOverGrpcReturnsTheFirstTasksAndCreatesNoDuplicates() {
        String key = UUID.randomUUID().toString();
        CreateTasksRequest request = CreateTasksRequest.newBuilder().setTaskType("supplier_sync")
                .addTasks(CreateTaskRequest.newBuilder().setRequestId(key + "-1").setCategoryId(SampleListings.HOTEL)
                        .setTitle("Room A").setSourceType("supplier_pull").setSourceUserType("system").setShopId(TestCallers.CITY_STAYS).setItemDataJson("{}"))
                .addTasks(CreateTaskRequest.newBuilder().setRequestId(key + "-2").setCategoryId(SampleListings.HOTEL)
                        .setTitle("Room B").setSourceType("supplier_pull").setSourceUserType("system").setShopId(TestCallers.CITY_STAYS).setItemDataJson("{not json"))
                .build();
        CreateTasksReply first = grpc.createTasks(request);
        assertEquals(1, first.getCreated());
        assertEquals("INVALID_FIELD", first.getResults(1).getErrorCode());
        CreateTasksReply again = grpc.createTasks(request);
        assertEquals(first.getResults(0).getTaskId(), again.getResults(0).getTaskId());
        assertEquals(true, again.getResults(0).getReplayed());
        assertEquals(1, count("SELECT count(*) FROM listing_task WHERE idempotency_key = '" + key + "-1'"));
    }

    @Test
    void anEmptyOrOversizedBatchIsRefused() {
        asOperator().body(Map.of("tasks", List.of())).post("/listings/batch").then()
                .statusCode(400).body("field", equalTo("tasks"));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(Map.of("categoryId", 1200));
        }
        asOperator().body(Map.of("tasks", many)).post("/listings/batch").then()
                .statusCode(400).body("field", equalTo("tasks"));
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
