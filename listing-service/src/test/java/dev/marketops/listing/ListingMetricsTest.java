package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.asOperator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.listing.metrics.ListingMetrics;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Scrape;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionRequest;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The listing metrics of main seed 8.2 as Prometheus scrapes them, after the transitions that count:
 * a deal published (success, audit and publish stages timed), one rejected (fail), and one rejected
 * through TransitionMany (the set-based path); tasks waiting for audit show in the audit queue.
 * Merchant listings: their audit is manual, so no audit-service on the same database moves them.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class ListingMetricsTest {

    @Inject
    PrometheusMeterRegistry prometheus;
    @Inject
    ListingMetrics metrics;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub grpc;

    private long submitted() {
        long taskId = TestCallers.asMerchant(9, TestCallers.HARBOUR_DEALS).body(TestCallers.merchantDraft(SampleListings.DEAL, "merchant_portal"))
                .post("/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
        asOperator().body(Map.of("expectedVersion", 0)).post("/listings/" + taskId + "/actions/submit").then().statusCode(200);
        return taskId;
    }

    private void decide(long taskId, String action) {
        grpc.transition(TransitionRequest.newBuilder().setTaskId(taskId).setAction(action).setExpectedVersion(1)
                .setOperatorType("auditor").setAuditType("manual").setReason("checked").build());
    }

    private Scrape scrape() {
        return Scrape.parse(prometheus.scrape());
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    @Test
    void finishedTasksAndStagesAreCountedPerCategoryTypeAndStatus() {
        Scrape before = scrape();
        long published = submitted();
        decide(published, "approve");
        asOperator().body(Map.of("expectedVersion", 2)).post("/listings/" + published + "/actions/publish").then().statusCode(200);
        decide(submitted(), "reject");
        long rejectedInBatch = submitted();
        grpc.transitionMany(TransitionManyRequest.newBuilder().addTaskIds(rejectedInBatch).setAction("reject")
                .setOperatorType("auditor").setAuditType("manual").setReason("checked").build());
        Scrape after = scrape();

        assertEquals(Set.of("category", "type", "status"), after.labelNames("listing_task_total"));
        assertEquals(1, delta(before, after, "listing_task_total", "category", "deal", "type", "single", "status", "success"));
        assertEquals(2, delta(before, after, "listing_task_total", "category", "deal", "type", "single", "status", "fail"));
        assertEquals(Set.of("category", "stage"), after.labelNames("listing_task_duration_seconds_count"));
        assertEquals(3, delta(before, after, "listing_task_duration_seconds_count", "category", "deal", "stage", "audit"));
        assertEquals(1, delta(before, after, "listing_task_duration_seconds_count", "category", "deal", "stage", "publish"));
        assertTrue(delta(before, after, "listing_task_duration_seconds_sum", "category", "deal", "stage", "audit") >= 0);
    }

    @Test
    void aSubmittedTaskIsInTheAuditQueue() {
        submitted();
        metrics.readQueues();
        Scrape s = scrape();
        assertTrue(s.sum("listing_worker_queue_size", "worker", "audit") >= 1, s.find("listing_worker_queue_size").toString());
        assertEquals(1, s.find("listing_worker_queue_size", "worker", "publish").size());
    }
}
