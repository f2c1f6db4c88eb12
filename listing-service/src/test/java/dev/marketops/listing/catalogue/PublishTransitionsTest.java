package dev.marketops.listing.catalogue;

import static dev.marketops.listing.catalogue.CatalogueFixtures.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.events.ListingBatchEvent;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.MarkPublishFailedRequest;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class PublishTransitionsTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    CatalogueFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
    }

    private List<byte[]> payloads(String topic, String key) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); var ps = c.prepareStatement(
                "SELECT payload FROM outbox_event WHERE topic = ? AND msg_key = ? ORDER BY created_at")) {
            ps.setString(1, topic);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
        }
        return out;
    }

    @Test
    void approvingABatchAnnouncesItOnBatchAuditedInsteadOfOnePublishReadyPerTask() throws Exception {
        long shop = CatalogueFixtures.newShopId();
        long batchId = CatalogueFixtures.newShopId();
        List<Map<String, Object>> listings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            listings.add(CatalogueFixtures.listing(SampleListings.OPV, shop, null));
        }
        List<Long> tasks = fx.approved(listings, batchId);

        List<byte[]> announced = payloads("listing.batch.audited", Long.toString(batchId));
        assertEquals(1, announced.size());
        ListingBatchEvent e = ListingBatchEvent.parseFrom(announced.get(0));
        assertEquals("audited", e.getEventType());
        assertEquals(new HashSet<>(tasks), new HashSet<>(e.getTaskIdsList()));
        assertEquals(1, e.getChunkNo());
        assertEquals(1, e.getChunkCount());
        String keys = in(tasks).replace("(", "('").replace(")", "')").replace(",", "','");
        assertEquals(0, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'listing.publish.ready' AND msg_key IN " + keys));
        assertEquals(15, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'listing.lifecycle' AND msg_key IN " + keys),
                "created, submitted and audited per task");
        assertEquals(10, fx.count("SELECT count(*) FROM listing_state_history WHERE action IN ('submit', 'approve') AND task_id IN "
                + in(tasks)));
        ListingTaskReply t = listing.getTask(GetTaskRequest.newBuilder().setTaskId(tasks.get(0)).build());
        assertEquals("APPROVED", t.getStatusName());
        assertEquals(batchId, t.getBatchId());
        assertEquals(shop, t.getMerchantId());
    }

    @Test
    void transitionManyAnswersEachTaskOnItsOwn() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> tasks = fx.approved(SampleListings.OPV, shop, 2);
        TransitionManyReply r = listing.transitionMany(TransitionManyRequest.newBuilder().addTaskIds(tasks.get(0))
                .addTaskIds(-1).addTaskIds(tasks.get(1)).setAction("reject").build());
        assertEquals(0, r.getSucceeded());
        assertEquals("ILLEGAL_TRANSITION", r.getResults(0).getErrorCode());
        assertEquals(11, r.getResults(0).getStatus());
        assertEquals("NOT_FOUND", r.getResults(1).getErrorCode());

        // an approval without a batch hands each task to publishing on its own
        List<Long> single = fx.approved(List.of(CatalogueFixtures.listing(SampleListings.OPV, shop, null)), null);
        assertEquals(1, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'listing.publish.ready' AND msg_key = '"
                + single.get(0) + "'"));
    }

    /**
     * An audit decided for a submission applies to that submission: with expected versions, a
     * task that moved on since (here: submitted again, so at another version) stays where it is
     * and is answered STALE_VERSION, while the others of the call move.
     */
    @Test
    void transitionManyWithExpectedVersionsMovesOnlyTheTasksStillAtThem() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> tasks = fx.submitted(List.of(CatalogueFixtures.listing(SampleListings.OPV, shop, null),
                CatalogueFixtures.listing(SampleListings.OPV, shop, null), CatalogueFixtures.listing(SampleListings.OPV, shop, null)), null);
        long v = listing.getTask(GetTaskRequest.newBuilder().setTaskId(tasks.get(0)).build()).getVersion();
        TransitionManyReply r = listing.transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(tasks)
                .addAllExpectedVersions(List.of(v, v + 5, v)).setAction("approve").setOperatorType("system")
                .setAuditType("skip").setReason("trusted source").build());
        assertEquals(2, r.getSucceeded(), r.toString());
        assertTrue(r.getResults(0).getOk());
        assertEquals("STALE_VERSION", r.getResults(1).getErrorCode());
        assertEquals(10, r.getResults(1).getStatus(), "still pending audit");
        assertTrue(r.getResults(2).getOk());
        ListingTaskReply stale = listing.getTask(GetTaskRequest.newBuilder().setTaskId(tasks.get(1)).build());
        assertEquals("PENDING_AUDIT", stale.getStatusName());
        assertEquals(v, stale.getVersion());
        assertEquals(0, fx.count("SELECT count(*) FROM listing_state_history WHERE action = 'approve' AND task_id = " + tasks.get(1)));
        assertEquals(2, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'listing.publish.ready' AND msg_key IN ('"
                + tasks.get(0) + "', '" + tasks.get(2) + "')"));

        // the same task again at the right version moves; a version list of the wrong length is refused
        assertTrue(listing.transitionMany(TransitionManyRequest.newBuilder().addTaskIds(tasks.get(1)).addExpectedVersions(v)
                .setAction("approve").setOperatorType("system").build()).getResults(0).getOk());
        io.grpc.StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class, () ->
                listing.transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(tasks).addExpectedVersions(v)
                        .setAction("approve").build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    @Test
    void publishingStoresTheItemAndARetriedPublishIsAnsweredWithoutASecondEvent() throws Exception {
        long shop = CatalogueFixtures.newShopId();
        List<Long> tasks = fx.approved(SampleListings.TOPUP, shop, 3);
        List<Long> items = fx.publish(tasks);
        long task = tasks.get(0);
        TransitionRequest publish = TransitionRequest.newBuilder().setTaskId(task).setAction("publish").setExpectedVersion(-1)
                .setItemId(items.get(0)).setOperatorType("system").build();
        ListingTaskReply first = listing.transition(publish);
        assertEquals("ONLINE", first.getStatusName());
        assertEquals(items.get(0), first.getItemId());
        ListingTaskReply again = listing.transition(publish);
        assertEquals(first.getVersion(), again.getVersion());
        List<byte[]> published = payloads("listing.published", Long.toString(task));
        assertEquals(1, published.size());
        assertEquals(items.get(0), ListingEvent.parseFrom(published.get(0)).getItemId());
        assertEquals(items.get(0), fx.count("SELECT item_id FROM listing_task WHERE task_id = " + task));

        // many at once, with one already published
        TransitionManyReply many = listing.transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(tasks)
                .addAllItemIds(items).setAction("publish").setOperatorType("system").build());
        assertEquals(3, many.getSucceeded(), many.toString());
        assertEquals(1, payloads("listing.published", Long.toString(task)).size());
        List<byte[]> second = payloads("listing.published", Long.toString(tasks.get(1)));
        assertEquals(1, second.size());
        assertEquals(items.get(1), ListingEvent.parseFrom(second.get(0)).getItemId());
        assertEquals(items.get(2), fx.count("SELECT item_id FROM listing_task WHERE task_id = " + tasks.get(2)));
    }

    @Test
    void aFailedPublishLeavesTheTaskApprovedAndMarked() {
        long shop = CatalogueFixtures.newShopId();
        long task = fx.approved(SampleListings.GIFTCARD, shop, 1).get(0);
        ListingTaskReply r = listing.markPublishFailed(MarkPublishFailedRequest.newBuilder().setTaskId(task)
                .setReason("set_attributes refused: remarks too long").build());
        assertEquals("APPROVED", r.getStatusName());
        assertEquals("publish_failed", r.getSubStatus());
        assertEquals(1, fx.count("SELECT count(*) FROM listing_task WHERE error_message LIKE 'set_attributes refused%' AND task_id = " + task));
        // a later publish is allowed and clears the mark
        ListingTaskReply published = listing.transition(TransitionRequest.newBuilder().setTaskId(task).setAction("publish")
                .setExpectedVersion(-1).setItemId(99).build());
        assertEquals("ONLINE", published.getStatusName());
        assertEquals("", published.getSubStatus());
        assertFalse(published.getSubStatus().equals("publish_failed"));
        assertTrue(published.getItemId() == 99);
    }
}
