package dev.marketops.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A poll whose second group fails after its first group moved: the caller's transaction is rolled
 * back and the poll comes again, and the retry finds the first group's tasks decided already.
 * Their audit log must survive that (it used to be written with the caller's transaction and
 * was lost), and nothing is logged twice.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class GroupAuditFailureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    GroupAuditor auditor;
    @Inject
    BatchListingClient realListing;
    @Inject
    EntityManager em;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub commands;
    @GrpcClient("listing")
    ListingQueriesGrpc.ListingQueriesBlockingStub queries;

    @Test
    void aGroupThatMovedKeepsItsLogWhenALaterGroupFails() throws Exception {
        long batchId = System.currentTimeMillis() * 1000 + (System.nanoTime() % 1000);
        Map<String, Object> gap = new HashMap<>(SampleListings.itemData(SampleListings.HOTEL));
        LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        gap.put("price_calendar", List.of(Map.of("date", d.toString(), "price", 300), Map.of("date", d.plusDays(2).toString(), "price", 300)));
        List<CreateTaskRequest> drafts = List.of(
                draft(SampleListings.DEAL, "excel_batch", "operator", SampleListings.itemData(SampleListings.DEAL)), // skip: approve
                draft(SampleListings.DEAL, "excel_batch", "operator", SampleListings.itemData(SampleListings.DEAL)),
                draft(SampleListings.HOTEL, "api", "system", gap)); // auto: reject for the calendar gap
        List<Long> ids = new ArrayList<>();
        commands.withDeadlineAfter(20, TimeUnit.SECONDS).createTasks(CreateTasksRequest.newBuilder().addAllTasks(drafts)
                .setBatchId(batchId).setTaskType("batch_import").build()).getResultsList().forEach(r -> ids.add(r.getTaskId()));
        assertFalse(ids.contains(0L), "every draft was created: " + ids);
        // Submitted as an upload's tasks: nothing audits them but this test.
        commands.withDeadlineAfter(20, TimeUnit.SECONDS).transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(ids)
                .setAction("submit").setOperatorType("operator").setOperatorId(7).setBatchId(batchId).build());
        List<GroupAuditor.Submission> submissions = ids.stream().map(id -> new GroupAuditor.Submission(id, null)).toList();

        // listing-service answers the read and the first group's call, then is gone. (The injected
        // bean is a proxy that would lead to the mock itself once it is installed.)
        BatchListingClient real = io.quarkus.arc.ClientProxy.unwrap(realListing);
        AtomicInteger calls = new AtomicInteger();
        QuarkusMock.installMockForType(new BatchListingClient() {
            @Override
            public List<ListingTaskReply> getTasks(Collection<Long> taskIds) {
                return real.getTasks(taskIds);
            }

            @Override
            public Set<Long> transitionMany(List<Long> taskIds, List<Long> versions, String action, String auditType, String reason,
                                            long batch) {
                if (calls.incrementAndGet() == 2) {
                    throw Status.UNAVAILABLE.withDescription("listing-service went away").asRuntimeException();
                }
                return real.transitionMany(taskIds, versions, action, auditType, reason, batch);
            }
        }, BatchListingClient.class);
        assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().call(() -> auditor.audit(submissions, batchId)));
        assertEquals(2, calls.get(), "two groups: approve/skip and reject/auto");

        List<Long> moved = new ArrayList<>();
        for (ListingTaskReply t : tasks(ids)) {
            if (t.getStatus() != GroupAuditor.PENDING_AUDIT) {
                moved.add(t.getTaskId());
            }
        }
        assertTrue(!moved.isEmpty() && moved.size() < ids.size(), "one group moved, the other did not: " + moved);
        for (long id : ids) {
            assertEquals(moved.contains(id) ? 1L : 0L, logRows(id), "audit log rows of task " + id + " after the failure");
        }

        // The redelivered poll, with listing-service back: the rest is decided, nothing twice.
        QuarkusMock.installMockForType(real, BatchListingClient.class);
        QuarkusTransaction.requiringNew().call(() -> auditor.audit(submissions, batchId));
        assertEquals(List.of("APPROVED", "APPROVED", "REJECTED"), tasks(ids).stream().map(ListingTaskReply::getStatusName).toList());
        for (long id : ids) {
            assertEquals(1L, logRows(id), "audit log rows of task " + id + " after the retry");
        }
    }

    private List<ListingTaskReply> tasks(List<Long> ids) {
        return queries.withDeadlineAfter(10, TimeUnit.SECONDS).getTasks(GetTasksRequest.newBuilder().addAllTaskIds(ids).build()).getTasksList();
    }

    private long logRows(long taskId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM listing_audit_log WHERE task_id = " + taskId).getSingleResult()).longValue());
    }

    private static CreateTaskRequest draft(long category, String source, String user, Map<String, Object> data) throws Exception {
        return CreateTaskRequest.newBuilder().setCategoryId(category).setTitle("Group audit failure " + category)
                .setSourceType(source).setSourceUserType(user).setCreatorId(42).setShopId(1)
                .setItemDataJson(JSON.writeValueAsString(data)).build();
    }
}
