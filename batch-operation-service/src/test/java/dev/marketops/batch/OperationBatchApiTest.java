package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.proto.services.BatchProgress;
import dev.marketops.proto.services.BatchQueriesGrpc;
import dev.marketops.proto.services.BatchRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.OpenApiIds;
import dev.marketops.platform.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationBatchApiTest {

    @Inject
    AgroalDataSource ds;

    @GrpcClient("batch-self")
    BatchQueriesGrpc.BatchQueriesBlockingStub grpc;

    /** A batch row as a worker would leave it; only what a scenario cares about is set. */
    final class BatchRow {
        final long batchId = randomId();
        String operationType = "price_adjust";
        String status = "created";
        long createdBy;
        int total, success, failed, skipped, progress;
        String minutesAgo = "0";

        BatchRow type(String t) { operationType = t; return this; }
        BatchRow status(String s) { status = s; return this; }
        BatchRow by(long user) { createdBy = user; return this; }
        BatchRow counts(int t, int ok, int ko, int skip) { total = t; success = ok; failed = ko; skipped = skip; return this; }
        BatchRow progress(int p) { progress = p; return this; }
        BatchRow createdMinutesAgo(int m) { minutesAgo = String.valueOf(m); return this; }

        long insert() throws SQLException {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO operation_batch_task (batch_id, batch_code, operation_type, operation_params, category_ids,
                        total_count, success_count, failed_count, skipped_count, status, progress, created_by, created_at)
                    VALUES (?, ?, ?, '{"adjust_type": "percentage", "adjust_value": -20}'::jsonb, '{2100,3100}',
                        ?, ?, ?, ?, ?, ?, ?, now() - (? || ' minutes')::interval)""")) {
                ps.setLong(1, batchId);
                ps.setString(2, "TEST_" + batchId);
                ps.setString(3, operationType);
                ps.setInt(4, total);
                ps.setInt(5, success);
                ps.setInt(6, failed);
                ps.setInt(7, skipped);
                ps.setString(8, status);
                ps.setInt(9, progress);
                ps.setLong(10, createdBy);
                ps.setString(11, minutesAgo);
                ps.executeUpdate();
            }
            return batchId;
        }
    }

    @Test
    void theProgressOfABatchIsServedOverRestAndGrpc() throws SQLException {
        // given a price batch of 10,000 rows that is 40% through (status validating: a processing
        // batch without item rows would be finished by the sweeper at once)
        long batchId = new BatchRow().status("validating").by(randomId())
                .counts(10_000, 3_900, 90, 10).progress(40).insert();

        // when its progress is read, then REST shows counts, percentage and status
        given().header("Authorization", Tokens.bearer("admin", 1)).get("/batches/" + batchId).then().statusCode(200)
                .body("batchCode", equalTo("TEST_" + batchId)).body("operationType", equalTo("price_adjust"))
                .body("status", equalTo("validating")).body("progress", equalTo(40))
                .body("totalCount", equalTo(10_000)).body("successCount", equalTo(3_900))
                .body("failedCount", equalTo(90)).body("skippedCount", equalTo(10)).body("pendingCount", equalTo(6_000))
                .body("errorPolicy", equalTo("ignore_failed"))
                .body("categoryIds", contains("2100", "3100"))
                .body("operationParams.adjust_value", equalTo(-20));

        // and gRPC answers the same
        BatchProgress progress = grpc.getBatch(BatchRef.newBuilder().setBatchId(batchId).build());
        assertTrue(progress.getFound());
        assertEquals("validating", progress.getStatus());
        assertEquals(40, progress.getProgress());
        assertEquals(3_900, progress.getSuccessCount());
    }

    @Test
    void theHistoryIsNewestFirstFilteredAndPaged() throws SQLException {
        // given one operator's three batches of two kinds
        long operator = randomId();
        long oldest = new BatchRow().by(operator).type("price_adjust").status("completed").createdMinutesAgo(30).insert();
        long middle = new BatchRow().by(operator).type("inventory_update").status("failed").createdMinutesAgo(20).insert();
        long newest = new BatchRow().by(operator).type("price_adjust").status("validating").createdMinutesAgo(10).insert();

        // then their history is newest first
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("createdBy", operator).get("/batches").then().statusCode(200)
                .body("items.batchId", contains(String.valueOf(newest), String.valueOf(middle), String.valueOf(oldest)))
                .body("total", equalTo(3)).body("page", equalTo(0)).body("size", equalTo(20));
        // and filters narrow it
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("createdBy", operator).queryParam("operationType", "price_adjust").get("/batches").then()
                .body("items.batchId", contains(String.valueOf(newest), String.valueOf(oldest)));
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("createdBy", operator).queryParam("status", "failed").get("/batches").then()
                .body("items.batchId", contains(String.valueOf(middle)));
        // and pages split it
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("createdBy", operator).queryParam("size", 2).queryParam("page", 1).get("/batches").then()
                .body("items.batchId", contains(String.valueOf(oldest))).body("total", equalTo(3));
    }

    /** A real upload's snowflake batch id (above 2^53) is a string in JSON, in the SSE stream too, and the OpenAPI document says so. */
    @Test
    void idsAreStringsInJsonAndInTheOpenApiDocument() throws Exception {
        long user = (1L << 53) + randomId();
        String token = Tokens.bearer("operator", user);
        String reply = given().header("Authorization", token).multiPart("file", "ids.csv", Sheets.csv("item_id,value", "1,x"))
                .multiPart("operationType", "price_adjust").post("/batches").then().statusCode(201).extract().asString();
        JsonNode batch = new ObjectMapper().readTree(reply).path("batch");
        assertTrue(batch.path("batchId").isTextual(), reply);
        long batchId = Long.parseLong(batch.path("batchId").textValue());
        assertTrue(batchId > 1L << 53, "a snowflake id is above 2^53: " + batchId);
        assertEquals(Long.toString(user), batch.path("createdBy").textValue(), reply);
        assertTrue(batch.path("totalCount").isNumber(), "counts stay numbers: " + reply);

        JsonNode read = new ObjectMapper().readTree(given().header("Authorization", token).get("/batches/" + batchId)
                .then().statusCode(200).extract().asString());
        assertEquals(Long.toString(batchId), read.path("batchId").textValue());
        String stream = given().header("Authorization", token).get("/batches/" + batchId + "/events").then().statusCode(200)
                .extract().asString();
        assertTrue(stream.contains("\"batchId\":\"" + batchId + "\""), stream);

        JsonNode openapi = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        assertEquals(List.of(), OpenApiIds.integerIds(openapi), "integer-typed ids in /q/openapi");
        assertEquals("string", openapi.at("/components/schemas/BatchView/properties/batchId/type").asText());
        assertEquals("int64", openapi.at("/components/schemas/BatchView/properties/batchId/format").asText());
    }

    @Test
    void unknownBatchesAndBadParametersAreProblems() {
        long unknown = randomId();
        given().header("Authorization", Tokens.bearer("admin", 1)).get("/batches/" + unknown).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_BATCH"));
        assertFalse(grpc.getBatch(BatchRef.newBuilder().setBatchId(unknown).build()).getFound());

        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("size", 0).get("/batches").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("size"));
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("operationType", "teleport").get("/batches").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("operationType"));
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("status", "done").get("/batches").then().statusCode(400).body("field", equalTo("status"));
    }

    private static long randomId() {
        return ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
    }
}
