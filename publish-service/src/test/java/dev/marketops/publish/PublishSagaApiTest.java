package dev.marketops.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.services.PublishQueriesGrpc;
import dev.marketops.proto.services.PublishSaga;
import dev.marketops.proto.services.TaskRef;
import io.agroal.api.AgroalDataSource;
import dev.marketops.platform.testing.ListingFleetTestResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The read API over recorded sagas (rows written directly, leased to a runner elsewhere so that recovery leaves them alone). */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class PublishSagaApiTest {

    @Inject
    AgroalDataSource ds;

    @GrpcClient("publish-self")
    PublishQueriesGrpc.PublishQueriesBlockingStub grpc;

    static RequestSpecification operator() {
        return given().header("Authorization", Tokens.bearer("operator", 11));
    }

    @Test
    void readsAndRetriesFollowTheRoleTable() throws SQLException {
        long taskId = randomId();
        insertSaga(randomId(), taskId, "compensating", "CreatePrice", 3);
        long unknownTask = randomId();
        for (String role : Roles.PEOPLE) {
            RequestSpecification as = given().header("Authorization", Tokens.bearer(role, 20 + Roles.PEOPLE.indexOf(role)));
            int read = Permission.SAGA_READ.roles().contains(role) ? 200 : 403;
            as.get("/sagas/" + taskId).then().statusCode(read);
            as.queryParam("taskId", taskId).get("/sagas").then().statusCode(read);
            // a saga that does not exist: a caller allowed to retry gets as far as the 404; the others are refused first
            given().header("Authorization", Tokens.bearer(role, 20)).post("/sagas/" + unknownTask + "/retry").then()
                    .statusCode(Permission.SAGA_OPERATE.roles().contains(role) ? 404 : 403);
            // a running saga is not retried by anyone, and a refused caller cannot even learn that
            given().header("Authorization", Tokens.bearer(role, 20)).post("/sagas/" + taskId + "/retry").then()
                    .statusCode(Permission.SAGA_OPERATE.roles().contains(role) ? 409 : 403);
        }
        given().post("/sagas/" + taskId + "/retry").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().get("/sagas/" + taskId).then().statusCode(401);
        given().get("/sagas").then().statusCode(401);
        operator().get("/sagas/" + taskId).then().body("status", equalTo("compensating")).body("attempts", equalTo(1))
                .body("retriedBy", equalTo(null));
    }

    @Test
    void healthIsUp() {
        given().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")));
    }

    @Test
    void aRecordedSagaIsServedOverRestAndGrpc() throws SQLException {
        // given a saga that failed at its fourth step and is being compensated
        long taskId = randomId();
        long sagaId = randomId();
        insertSaga(sagaId, taskId, "compensating", "CreatePrice", 3);
        insertStep(sagaId, 1, "CreateItem", "succeeded");
        insertStep(sagaId, 4, "CreatePrice", "failed");

        // when it is read by task, then REST shows the saga with its steps in order
        operator().get("/sagas/" + taskId).then().statusCode(200)
                .body("sagaId", equalTo(String.valueOf(sagaId))).body("status", equalTo("compensating"))
                .body("currentStep", equalTo("CreatePrice")).body("completedSteps", equalTo(3))
                .body("steps.stepNo", org.hamcrest.Matchers.contains(1, 4))
                .body("steps[1].status", equalTo("failed"));
        // and the status and task filters find it
        operator().queryParam("taskId", taskId).get("/sagas").then().statusCode(200)
                .body("items.sagaId", org.hamcrest.Matchers.contains(String.valueOf(sagaId))).body("total", equalTo(1));
        operator().queryParam("status", "compensating").queryParam("size", 200).get("/sagas").then().statusCode(200)
                .body("items.taskId", hasItem(String.valueOf(taskId))).body("items.status", everyItem(equalTo("compensating")))
                .body("size", equalTo(200));

        // and gRPC answers the same
        PublishSaga saga = grpc.getPublishSaga(TaskRef.newBuilder().setTaskId(taskId).build());
        assertTrue(saga.getFound());
        assertEquals("compensating", saga.getStatus());
        assertEquals(3, saga.getCompletedSteps());
    }

    @Test
    void anUnknownTaskIsNotFound() {
        long taskId = randomId();
        operator().get("/sagas/" + taskId).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_SAGA"));
        PublishSaga saga = grpc.getPublishSaga(TaskRef.newBuilder().setTaskId(taskId).build());
        assertFalse(saga.getFound());
        assertEquals(taskId, saga.getTaskId());
    }

    @Test
    void badListParametersAreProblemsNamingTheField() {
        operator().queryParam("size", 500).get("/sagas").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("size"));
        operator().queryParam("page", -1).get("/sagas").then().statusCode(400).body("field", equalTo("page"));
        operator().queryParam("status", "exploded").get("/sagas").then().statusCode(400).body("field", equalTo("status"));
    }

    private void insertSaga(long sagaId, long taskId, String status, String currentStep, int completed) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO publish_saga (saga_id, task_id, status, current_step, completed_steps, attempts, lease_owner, lease_until)"
                        + " VALUES (?, ?, ?, ?, ?, 1, 'another-node', now() + interval '1 hour')")) {
            ps.setLong(1, sagaId);
            ps.setLong(2, taskId);
            ps.setString(3, status);
            ps.setString(4, currentStep);
            ps.setInt(5, completed);
            ps.executeUpdate();
        }
    }

    private void insertStep(long sagaId, int stepNo, String name, String status) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO publish_saga_step (saga_id, step_no, step_name, status, attempts, started_at, finished_at) VALUES (?, ?, ?, ?, 1, now(), now())")) {
            ps.setLong(1, sagaId);
            ps.setInt(2, stepNo);
            ps.setString(3, name);
            ps.setString(4, status);
            ps.executeUpdate();
        }
    }

    private static long randomId() {
        return ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
    }
}
