package dev.marketops.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.publish.support.Listings;
import dev.marketops.publish.support.PublishedEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The publish saga end to end: real listing-service (catalogue and tasks) and config-service,
 * real Kafka. An approval on listing.publish.ready (or a batch on listing.batch.audited)
 * becomes an ONLINE task with its catalogue item, announced exactly once on listing.published.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class PublishSagaFlowTest {

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listingCommands;
    @GrpcClient("listing")
    ListingQueriesGrpc.ListingQueriesBlockingStub listingQueries;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @Inject
    AgroalDataSource ds;
    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    /**
     * Generous: the first test may wait for the consumer group to rebalance (a member of an earlier,
     * killed run stays in the group until its session times out).
     */
    static final long SAGA_WAIT = 90_000;

    Listings listings;
    PublishedEvents published;

    @BeforeEach
    void open() {
        listings = new Listings(listingCommands, listingQueries);
        published = new PublishedEvents(kafka);
    }

    @AfterEach
    void close() {
        published.close();
    }

    static io.restassured.specification.RequestSpecification operator() {
        return given().header("Authorization", Tokens.bearer("operator", 11));
    }

    JsonPath saga(long taskId) {
        return operator().get("/sagas/" + taskId).then().extract().jsonPath();
    }

    String sagaStatus(long taskId) {
        return operator().get("/sagas/" + taskId).then().extract().statusCode() == 200 ? saga(taskId).getString("status") : null;
    }

    ItemSnapshots items(long... itemIds) {
        ItemRefs.Builder refs = ItemRefs.newBuilder();
        for (long id : itemIds) {
            refs.addItemIds(id);
        }
        return catalog.withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS).getItems(refs.build());
    }

    @ParameterizedTest(name = "category {0}")
    @ValueSource(longs = {SampleListings.DEAL, SampleListings.OPV, SampleListings.BUNDLE, SampleListings.HOTEL,
            SampleListings.MOVIE, SampleListings.TOPUP, SampleListings.GIFTCARD})
    void anApprovedTaskIsPublishedOnceWithItsItem(long category) {
        long taskId = listings.approved(category, Map.of());

        Listings.await("saga of task " + taskId + " completes", SAGA_WAIT, () -> "completed".equals(sagaStatus(taskId)));
        JsonPath saga = saga(taskId);
        long itemId = saga.getLong("itemId");
        assertEquals(7, saga.getInt("completedSteps"));
        assertEquals(List.of("create_item", "create_skus", "set_attributes", "init_inventory", "set_prices", "mark_online",
                "complete_task"), saga.getList("steps.stepName"));
        assertTrue(saga.getList("steps.status").stream().allMatch("succeeded"::equals), saga.prettify());
        assertTrue(saga.get("leaseOwner") == null, "the lease is dropped");

        ListingTaskReply task = listings.task(taskId);
        assertEquals(Listings.ONLINE, task.getStatus());
        assertEquals(itemId, task.getItemId());

        ItemSnapshot item = items(itemId).getItems(0);
        assertEquals(taskId, item.getTaskId());
        assertEquals("online", item.getStatus());
        assertEquals(category, item.getCategoryId());
        assertTrue(item.getSkusCount() >= 1, "the item has its SKUs: " + item);

        Listings.await("listing.published for task " + taskId, 15_000, () -> published.poll().count(taskId) > 0);
        published.settle(Duration.ofSeconds(1));
        assertEquals(1, published.count(taskId), "exactly one listing.published");
        assertEquals(itemId, published.itemOf(taskId));
    }

    @Test
    void aRefusedAttributeCompensatesEveryStepAndMarksTheTask() {
        // listing-service's catalogue refuses an attribute value longer than 2,000 characters at set_attributes
        long taskId = listings.approved(SampleListings.DEAL, Map.of("long_note", "x".repeat(2_100)));

        Listings.await("saga of task " + taskId + " is compensated", SAGA_WAIT, () -> "compensated".equals(sagaStatus(taskId)));
        JsonPath saga = saga(taskId);
        long itemId = saga.getLong("itemId");
        assertTrue(saga.getString("lastError").contains("REFUSED_ATTRIBUTE"), saga.getString("lastError"));
        assertEquals(List.of("compensated", "compensated", "failed", "pending", "pending", "pending", "pending"),
                saga.getList("steps.status"), saga.prettify());
        assertEquals(0, saga.getInt("completedSteps"));

        // no item rows are left, the task stays APPROVED and says why
        assertTrue(items(itemId).getMissingItemIdsList().contains(itemId), "the item is gone");
        ListingTaskReply task = listings.task(taskId);
        assertEquals(Listings.APPROVED, task.getStatus());
        assertEquals("publish_failed", task.getSubStatus());
        published.settle(Duration.ofSeconds(1));
        assertEquals(0, published.count(taskId));

        // an operator may retry it: it runs again from the first step (and fails the same way)
        given().post("/sagas/" + taskId + "/retry").then().statusCode(401);
        for (String role : dev.marketops.platform.security.Roles.PEOPLE) {
            if (!dev.marketops.platform.security.Permission.SAGA_OPERATE.roles().contains(role)) {
                given().header("Authorization", Tokens.bearer(role, 12)).post("/sagas/" + taskId + "/retry")
                        .then().statusCode(403).body("code", equalTo("FORBIDDEN"));
            }
        }
        assertEquals(1, saga(taskId).getInt("attempts"), "a refused retry starts nothing");
        given().header("Authorization", Tokens.bearer("operator", 11)).post("/sagas/" + taskId + "/retry")
                .then().statusCode(200).body("attempts", equalTo(2))
                .body("retriedBy", equalTo("11")).body("retriedByType", equalTo("operator"));
        Listings.await("retried saga is compensated again", SAGA_WAIT, () -> "compensated".equals(sagaStatus(taskId))
                && saga(taskId).getInt("attempts") == 2);
        // an admin may retry too, and the saga then names the admin
        given().header("Authorization", Tokens.bearer("admin", 3)).post("/sagas/" + taskId + "/retry")
                .then().statusCode(200).body("attempts", equalTo(3))
                .body("retriedBy", equalTo("3")).body("retriedByType", equalTo("admin"));
        Listings.await("saga retried by the admin is compensated again", SAGA_WAIT, () -> "compensated".equals(sagaStatus(taskId))
                && saga(taskId).getInt("attempts") == 3);
        given().header("Authorization", Tokens.bearer("operator", 11)).post("/sagas/" + (taskId + 1_000_000_000L) + "/retry")
                .then().statusCode(404).body("code", equalTo("UNKNOWN_SAGA"));
    }

    /**
     * A saga's seven steps go to listing-service as one RunSteps call (marketops.publish.combined-steps,
     * on by default); each step is still recorded, attempted once and succeeded.
     */
    @Test
    void theStepsOfASagaTakeOneCall() {
        double combined = calls("create_item", "execute_through"), single = calls("create_skus", "execute"),
                completions = calls("complete_task", "execute");
        long taskId = listings.approved(SampleListings.OPV, Map.of());
        Listings.await("saga of task " + taskId + " completes", SAGA_WAIT, () -> "completed".equals(sagaStatus(taskId)));
        JsonPath saga = saga(taskId);
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1), saga.getList("steps.attempts"), saga.prettify());
        assertTrue(saga.getList("steps.status").stream().allMatch("succeeded"::equals), saga.prettify());
        assertEquals(7, saga.getInt("completedSteps"));
        assertTrue(saga.get("leaseOwner") == null, "the lease is dropped");
        assertTrue(calls("create_item", "execute_through") >= combined + 1, "one combined call");
        assertEquals(single, calls("create_skus", "execute"), "no call of its own for create_skus");
        assertEquals(completions, calls("complete_task", "execute"), "nor for complete_task");
        assertEquals(Listings.ONLINE, listings.task(taskId).getStatus());
        assertEquals("online", items(saga.getLong("itemId")).getItems(0).getStatus());
    }

    private double calls(String step, String action) {
        io.micrometer.core.instrument.Timer t = meters.find("saga_step_duration_seconds").tags("step_name", step, "action", action).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void aCompletedSagaIsNotRetried() {
        long taskId = listings.approved(SampleListings.TOPUP, Map.of());
        Listings.await("saga completes", SAGA_WAIT, () -> "completed".equals(sagaStatus(taskId)));
        given().header("Authorization", Tokens.bearer("operator", 11)).post("/sagas/" + taskId + "/retry")
                .then().statusCode(409).body("code", equalTo("SAGA_NOT_RETRYABLE"));
        operator().queryParam("taskId", taskId).queryParam("status", "completed").get("/sagas").then().statusCode(200)
                .body("total", equalTo(1)).body("items.status", everyItem(equalTo("completed")));
    }

    @Test
    void aBatchOfAThousandApprovedTasksGoesOnline() throws Exception {
        long batchId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        List<Long> ids = listings.submittedBatch(batchId, SampleListings.DEAL, 1_000);

        long started = System.nanoTime();
        TransitionManyReply approved = listings.approveBatch(batchId, ids);
        // only what this call reports as applied counts (a failed result is no approval, whatever the status)
        assertEquals(1_000, approved.getSucceeded(), () -> "not approved: " + approved.getResultsList().stream()
                .filter(r -> !r.getOk()).limit(5).toList());
        Listings.await("all 1,000 sagas complete", 120_000, () -> completedSagas(ids) == 1_000);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("batch of 1,000: approve -> all sagas completed in %d ms%n", millis);

        assertEquals(1_000, listings.countInStatus(ids, Listings.ONLINE));
        Listings.await("1,000 listing.published events", 30_000, () -> published.poll().countAll(new HashSet<>(ids)) == 1_000);
        published.settle(Duration.ofSeconds(1));
        assertEquals(1_000, published.totalFor(new HashSet<>(ids)), "one event per task");
    }

    private long completedSagas(List<Long> taskIds) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM publish_saga WHERE task_id = ANY(?) AND status = 'completed'")) {
            ps.setArray(1, c.createArrayOf("int8", taskIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
