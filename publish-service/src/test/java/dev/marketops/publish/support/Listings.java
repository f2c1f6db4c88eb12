package dev.marketops.publish.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.CreateTasksReply;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Drives real listing tasks through listing-service's gRPC commands (audit-service is not running). */
public final class Listings {

    public static final int APPROVED = 11, ONLINE = 20;
    /** listing-service's seeded platform shop: a service creating tasks names the shop they are for. */
    public static final long PLATFORM_SHOP = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ListingCommandsGrpc.ListingCommandsBlockingStub commands;
    private final ListingQueriesGrpc.ListingQueriesBlockingStub queries;

    public Listings(ListingCommandsGrpc.ListingCommandsBlockingStub commands, ListingQueriesGrpc.ListingQueriesBlockingStub queries) {
        this.commands = commands;
        this.queries = queries;
    }

    public static CreateTaskRequest draft(long category, Map<String, Object> extra) {
        Map<String, Object> data = new HashMap<>(SampleListings.itemData(category));
        data.putAll(extra);
        try {
            return CreateTaskRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setCategoryId(category)
                    .setTitle("Publish test " + category).setSourceType("operator_form").setSourceUserType("operator")
                    .setCreatorId(42).setShopId(PLATFORM_SHOP).setItemDataJson(JSON.writeValueAsString(data)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A task created, submitted and approved; the approval puts it on listing.publish.ready. */
    public long approved(long category, Map<String, Object> extra) {
        long taskId = submitted(category, extra);
        approve(taskId);
        return taskId;
    }

    public long submitted(long category, Map<String, Object> extra) {
        CreateTaskRequest draft = draft(category, extra);
        long taskId = transient_(() -> stub().createTask(draft).getTaskId()); // idempotent by request id
        transient_(() -> {
            try {
                transition(taskId, "submit");
            } catch (StatusRuntimeException e) {
                if (!isTransient(e) && task(taskId).getStatus() >= 10) {
                    return null; // an earlier attempt that timed out did submit it
                }
                throw e;
            }
            return null;
        });
        return taskId;
    }

    /**
     * Peers on a loaded 2-core machine sometimes miss a deadline (listing-service waiting on
     * config-service); the test retries those calls, which are idempotent here.
     */
    static <T> T transient_(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (!isTransient(e) || attempt == 5) {
                    throw e;
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static boolean isTransient(StatusRuntimeException e) {
        return e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                || e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED;
    }

    public void approve(long taskId) {
        try {
            transient_(() -> stub().transition(TransitionRequest.newBuilder().setTaskId(taskId).setAction("approve").setExpectedVersion(-1)
                    .setOperatorType("auditor").setOperatorId(7).setAuditType("manual").setReason("test").build()));
        } catch (StatusRuntimeException e) {
            // An audit-service of a concurrently running test may have approved it first: same outcome.
            if (task(taskId).getStatus() < APPROVED) {
                throw e;
            }
        }
    }

    public void transition(long taskId, String action) {
        stub().transition(TransitionRequest.newBuilder().setTaskId(taskId).setAction(action).setExpectedVersion(-1)
                .setOperatorType("operator").setOperatorId(7).build());
    }

    /** {@code count} drafts of one batch, submitted together; answers their ids. */
    public List<Long> submittedBatch(long batchId, long category, int count) {
        List<Long> ids = new ArrayList<>(count);
        for (int from = 0; from < count; from += 1000) {
            CreateTasksRequest.Builder req = CreateTasksRequest.newBuilder().setBatchId(batchId).setTaskType("batch_import");
            for (int i = from; i < Math.min(count, from + 1000); i++) {
                req.addTasks(draft(category, Map.of()));
            }
            CreateTasksReply reply = commands.withDeadlineAfter(60, TimeUnit.SECONDS).createTasks(req.build());
            reply.getResultsList().forEach(r -> ids.add(r.getTaskId()));
        }
        for (int from = 0; from < ids.size(); from += 1000) {
            TransitionManyReply r = commands.withDeadlineAfter(60, TimeUnit.SECONDS).transitionMany(TransitionManyRequest.newBuilder()
                    .addAllTaskIds(ids.subList(from, Math.min(ids.size(), from + 1000))).setAction("submit")
                    // as an upload submits its chunks: announced as a chunk only (no listing.audit.pending
                    // per task), so no audit-service of a concurrently running test approves them first
                    .setBatchId(batchId).setOperatorType("operator").setOperatorId(7).build());
            if (r.getFailed() > 0) {
                throw new AssertionError("submit failed: " + r.getResultsList().stream().filter(x -> !x.getOk()).findFirst());
            }
        }
        return ids;
    }

    public TransitionManyReply approveBatch(long batchId, List<Long> ids) {
        return commands.withDeadlineAfter(60, TimeUnit.SECONDS).transitionMany(TransitionManyRequest.newBuilder()
                .addAllTaskIds(ids).setAction("approve").setBatchId(batchId).setOperatorType("auditor").setOperatorId(7)
                .setAuditType("manual").setReason("batch test").build());
    }

    public ListingTaskReply task(long taskId) {
        return transient_(() -> stub().getTask(GetTaskRequest.newBuilder().setTaskId(taskId).build()));
    }

    public long countInStatus(List<Long> ids, int status) {
        long n = 0;
        for (int from = 0; from < ids.size(); from += 2000) {
            n += queries.withDeadlineAfter(30, TimeUnit.SECONDS).getTasks(GetTasksRequest.newBuilder()
                    .addAllTaskIds(ids.subList(from, Math.min(ids.size(), from + 2000))).build())
                    .getTasksList().stream().filter(t -> t.getStatus() == status).count();
        }
        return n;
    }

    private ListingCommandsGrpc.ListingCommandsBlockingStub stub() {
        return commands.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public static void await(String what, long timeoutMillis, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
