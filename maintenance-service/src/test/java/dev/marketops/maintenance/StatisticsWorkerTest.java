package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.maintenance.statistics.StatisticsWorker;
import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.services.JobRun;
import dev.marketops.proto.services.ListJobRunsRequest;
import dev.marketops.proto.services.MaintenanceQueriesGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StatisticsWorkerTest {

    @Inject
    StatisticsWorker statistics;
    @Inject
    AgroalDataSource ds;

    @GrpcClient("maintenance-self")
    MaintenanceQueriesGrpc.MaintenanceQueriesBlockingStub grpc;

    @Test
    void aStatisticsRunCountsNewDeadLettersPerTopicAndIsRecorded() throws SQLException {
        // given two new dead letters and one already replayed on a topic of this test
        String topic = "stats.test." + UUID.randomUUID() + ".dlq";
        insertDeadLetter(topic, 0, "new");
        insertDeadLetter(topic, 1, "new");
        insertDeadLetter(topic, 2, "replayed");

        // when the job runs
        assertEquals(ClusterSingleton.RunResult.RAN, statistics.run());

        // then its run is listed, newest first, with the count of new ones for the topic
        auditor().queryParam("jobName", StatisticsWorker.JOB).queryParam("limit", 1).get("/job-runs").then()
                .statusCode(200).body("$", hasSize(1))
                .body("[0].jobName", equalTo(StatisticsWorker.JOB))
                .body("[0].outcome", equalTo("succeeded"))
                .body("[0].detail", containsString(topic + "=2"));

        // and gRPC lists it too
        JobRun latest = grpc.listJobRuns(ListJobRunsRequest.newBuilder().setLimit(5).build()).getRunsList().stream()
                .filter(r -> r.getJobName().equals(StatisticsWorker.JOB)).findFirst().orElseThrow();
        assertEquals("succeeded", latest.getOutcome());
        assertTrue(latest.getDetail().contains(topic + "=2"), latest.getDetail());
        assertTrue(latest.getFinishedAt() >= latest.getStartedAt() && latest.getStartedAt() > 0);
    }

    private void insertDeadLetter(String topic, long offset, String status) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO dlq_record (topic, partition, record_offset, status, payload) VALUES (?, 0, ?, ?, '\\x00')")) {
            ps.setString(1, topic);
            ps.setLong(2, offset);
            ps.setString(3, status);
            ps.executeUpdate();
        }
    }

    /** An auditor: maintenance:statistics (job runs), not dead letters. */
    private static io.restassured.specification.RequestSpecification auditor() {
        return given().header("Authorization", Tokens.bearer("auditor", 7));
    }
}
