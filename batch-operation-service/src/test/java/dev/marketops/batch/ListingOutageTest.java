package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's fault probe on the real servers: listing-service is killed (kill -9) in the middle of
 * a 3,000-row listing upload and started again 30 s later. The batch waits the outage out (it says what it
 * waits for and fails no row meanwhile), then reconciles the rows whose tasks were created before
 * the kill by their request ids, and every row ends with exactly one task, ONLINE, linked to it:
 * no orphan draft, nothing created twice.
 */
@QuarkusTest
@QuarkusTestResource(value = ListingOutageFleet.class, restrictToAnnotatedClass = true)
class ListingOutageTest {

    static final int ROWS = 3_000; // the probe: a 3,000-row upload

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @Inject
    AgroalDataSource ds;

    final long operator = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);

    @Test
    void aListingUploadWaitsOutAListingServiceCrashAndPutsEveryRowOnlineOnce() throws Exception {
        // given a sheet of 3,000 new top-ups
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> lines = new ArrayList<>(List.of("category_id,title,carrier,denomination,sale_price"));
        for (int i = 0; i < ROWS; i++) {
            lines.add("4100,Outage top-up " + i + " " + run + ",China Mobile,50,49.5");
        }
        long batchId = given().header("Authorization", Tokens.bearer("operator", operator))
                .multiPart("file", "outage-" + run + ".csv", Sheets.csv(lines.toArray(String[]::new)))
                .multiPart("operationType", "listing_upload").multiPart("params", "{\"shopId\": 1}")
                .post("/batches").then().statusCode(201).extract().jsonPath().getLong("batch.batchId");

        // when listing-service dies once some chunks have their tasks, before the last one has
        await("a first chunk has its tasks", 60, () -> linked(batchId) > 0);
        ListingOutageFleet.current.killListing();
        int atKill = linked(batchId);
        assertTrue(atKill < ROWS, "the upload was through before the kill: " + atKill);

        // then the batch waits for it, saying so, and fails no row
        await("the batch says what it waits for", 30, () -> batch(batchId).getString("waitingFor") != null);
        Thread.sleep(30_000); // the outage lasts 30 s (a pod restarting), as in the probe
        JsonPath waiting = batch(batchId);
        assertEquals("processing", waiting.getString("status"), waiting.prettify());
        assertTrue(waiting.getString("waitingFor").startsWith("listing-service UNAVAILABLE"), waiting.getString("waitingFor"));
        assertEquals(0, waiting.getInt("failedCount"), waiting.prettify());

        // when listing-service is back
        ListingOutageFleet.current.restartListing();

        // then every row gets its task, submitted (those made before the kill found again by request id)
        await("every row has its task", 150, () -> linked(batchId) == ROWS);
        JsonPath resumed = batch(batchId);
        assertEquals(0, resumed.getInt("failedCount"), resumed.prettify());
        assertEquals(null, resumed.getString("waitingFor"), resumed.prettify());

        // and, audited and published (this test plays audit-service and publish-service), every row succeeds
        List<Long> all = taskIds(batchId);
        for (int i = 0; i < all.size(); i += 500) { // in calls of 500, as the batch's own chunks go
            publish(all.subList(i, Math.min(all.size(), i + 500)), batchId);
        }
        JsonPath done = awaitFinished(batchId);
        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals(ROWS, done.getInt("successCount"));
        assertEquals(0, done.getInt("failedCount"));

        // exactly once: one task per row and request id, each ONLINE and linked to its row; no orphan draft
        long[] tasks = listingTasks(batchId);
        assertEquals(ROWS, tasks[0], "tasks of the batch");
        assertEquals(ROWS, tasks[1], "distinct request ids");
        assertEquals(ROWS, tasks[2], "ONLINE tasks");
        assertEquals(new HashSet<>(taskIds(batchId)), taskIdsInListing(batchId), "every task belongs to a row of the batch");

        // and the batch's history tells the outage
        List<String> actions = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + batchId + "/history").then().statusCode(200).extract().jsonPath().getList("action");
        assertEquals(List.of("outage_started", "outage_ended"), actions);
    }

    /** What audit-service and publish-service do for a chunk: approve, the catalogue saga's steps, publish. */
    private void publish(List<Long> taskIds, long batchId) {
        TransitionManyReply approved = listing.withDeadlineAfter(60, TimeUnit.SECONDS).transitionMany(TransitionManyRequest
                .newBuilder().addAllTaskIds(taskIds).setAction("approve").setOperatorType("auditor").setOperatorId(7)
                .setAuditType("manual").setReason("fault test").setBatchId(batchId).build());
        assertEquals(taskIds.size(), approved.getSucceeded(), approved.toString());
        ItemResults created = catalog.withDeadlineAfter(60, TimeUnit.SECONDS)
                .createItems(CreateItemsRequest.newBuilder().addAllTaskIds(taskIds).build());
        assertEquals(0, created.getFailed(), created.toString());
        List<Long> items = created.getResultsList().stream().map(ItemResult::getItemId).toList();
        List<Long> tasksOfItems = created.getResultsList().stream().map(ItemResult::getTaskId).toList();
        ItemRefs refs = ItemRefs.newBuilder().addAllItemIds(items).build();
        var c = catalog.withDeadlineAfter(60, TimeUnit.SECONDS);
        for (ItemResults r : List.of(c.createSkus(refs), c.setAttributes(refs), c.initInventory(refs), c.setPrices(refs),
                c.markOnline(refs))) {
            assertEquals(0, r.getFailed(), r.toString());
        }
        TransitionManyReply published = listing.withDeadlineAfter(60, TimeUnit.SECONDS).transitionMany(TransitionManyRequest
                .newBuilder().addAllTaskIds(tasksOfItems).addAllItemIds(items).setAction("publish").setOperatorType("system")
                .setReason("fault test").build());
        assertEquals(taskIds.size(), published.getSucceeded(), published.toString());
    }

    private JsonPath batch(long id) {
        return given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    private JsonPath awaitFinished(long id) throws InterruptedException {
        await("batch " + id + " is finished", 180, () -> List.of("completed", "partial_success", "failed", "cancelled")
                .contains(batch(id).getString("status")));
        return batch(id);
    }

    /** Rows whose task the batch knows and has submitted (awaiting its outcome) or finished. */
    private int linked(long batchId) {
        return (int) one("SELECT count(*) FROM operation_batch_item WHERE batch_id = ? AND target_id IS NOT NULL"
                + " AND (status = 'succeeded' OR lease_until = 'infinity')", batchId);
    }

    private List<Long> taskIds(long batchId) {
        List<Long> out = new ArrayList<>();
        query("SELECT target_id FROM operation_batch_item WHERE batch_id = ? AND target_id IS NOT NULL ORDER BY row_no",
                batchId, rs -> out.add(rs.getLong(1)));
        return out;
    }

    private Set<Long> taskIdsInListing(long batchId) {
        Set<Long> out = new HashSet<>();
        query("SELECT task_id FROM listing.listing_task WHERE batch_id = ?", batchId, rs -> out.add(rs.getLong(1)));
        return out;
    }

    /** In listing-service's schema (looked at, never written): all tasks, distinct request ids, ONLINE ones. */
    private long[] listingTasks(long batchId) {
        long[] out = new long[3];
        query("SELECT count(*), count(DISTINCT idempotency_key), count(*) FILTER (WHERE status = 20)"
                + " FROM listing.listing_task WHERE batch_id = ?", batchId, rs -> {
                    out[0] = rs.getLong(1);
                    out[1] = rs.getLong(2);
                    out[2] = rs.getLong(3);
                });
        return out;
    }

    private long one(String sql, long id) {
        long[] v = new long[1];
        query(sql, id, rs -> v[0] = rs.getLong(1));
        return v[0];
    }

    interface Row {
        void read(ResultSet rs) throws Exception;
    }

    private void query(String sql, long id, Row each) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.read(rs);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
