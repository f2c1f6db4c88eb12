package dev.marketops.publish.runner;

import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.CompensateRequest;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.RunStepsReply;
import dev.marketops.proto.catalog.RunStepsRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.MarkPublishFailedRequest;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The saga's calls to listing-service: one catalogue call per step for a whole group of sagas
 * (in sub-chunks), one outcome per saga in the group's order. A call that fails as a whole
 * fails every saga of its chunk, transiently when the status says trying again may help.
 */
@ApplicationScoped
public class PublishGateway {

    static final int ONLINE = 20;
    private static final long SINGLE_DEADLINE_MS = 3_000;
    private static final long CHUNK_DEADLINE_MS = 15_000;

    // listing-service serves both; see application.properties.
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;

    @ConfigProperty(name = "marketops.publish.chunk-size", defaultValue = "500")
    int chunkSize;

    List<StepOutcome> execute(SagaStep step, List<SagaRun> runs) {
        return chunked(runs, chunk -> switch (step) {
            case CREATE_ITEM -> items(chunk, catalog(chunk).createItems(CreateItemsRequest.newBuilder()
                    .addAllTaskIds(chunk.stream().map(r -> r.taskId).toList()).build()), true);
            case CREATE_SKUS -> items(chunk, catalog(chunk).createSkus(refs(chunk)), false);
            case SET_ATTRIBUTES -> items(chunk, catalog(chunk).setAttributes(refs(chunk)), false);
            case INIT_INVENTORY -> items(chunk, catalog(chunk).initInventory(refs(chunk)), false);
            case SET_PRICES -> items(chunk, catalog(chunk).setPrices(refs(chunk)), false);
            case MARK_ONLINE -> items(chunk, catalog(chunk).markOnline(refs(chunk).toBuilder()
                    .addAllSagaIds(chunk.stream().map(r -> r.sagaId).toList()).build()), false);
            // one task too: TransitionMany is one set-based UPDATE of the task's state columns, where
            // Transition loads the task as an entity and writes its whole row back (item data included)
            case COMPLETE_TASK -> publishMany(chunk);
        });
    }

    /**
     * Steps {@code from} through {@code to} in one RunSteps call per chunk (complete_task included: listing-service
     * moves the tasks that passed mark_online to ONLINE, already ONLINE counting as done): for each
     * saga, the outcome of every step it reached (an ok step's successor was tried, a failed one ends
     * it). Every saga has an outcome for {@code from}; a call that fails as a whole fails that step.
     */
    List<Map<SagaStep, StepOutcome>> executeThrough(SagaStep from, SagaStep to, List<SagaRun> runs) {
        return chunked(runs, chunk -> {
            RunStepsRequest.Builder req = RunStepsRequest.newBuilder();
            for (int no = from.no; no <= to.no; no++) {
                req.addSteps(SagaStep.of(no).wire);
            }
            chunk.forEach(r -> {
                req.addTaskIds(r.taskId);
                if (from != SagaStep.CREATE_ITEM) {
                    req.addItemIds(r.itemId);
                }
                req.addSagaIds(r.sagaId);
            });
            RunStepsReply reply = catalog.withDeadlineAfter(deadline(chunk) * req.getStepsCount(), TimeUnit.MILLISECONDS)
                    .runSteps(req.build());
            List<Map<SagaStep, StepOutcome>> answers = new ArrayList<>(chunk.size());
            chunk.forEach(r -> answers.add(new EnumMap<>(SagaStep.class)));
            for (int k = 0; k < reply.getStepsCount() && from.no + k <= to.no; k++) {
                SagaStep step = SagaStep.of(from.no + k);
                for (ItemResult r : reply.getSteps(k).getResultsList()) {
                    if (r.getIndex() >= 0 && r.getIndex() < chunk.size()) {
                        answers.get(r.getIndex()).put(step, outcome(r, r.getItemId()));
                    }
                }
            }
            answers.forEach(a -> a.putIfAbsent(from, StepOutcome.failure(true, "no result in the reply")));
            return answers;
        }, f -> new EnumMap<>(Map.of(from, f)));
    }

    /**
     * Undoes one step. create_item is undone by item id where the saga knows it and by task id where
     * it does not (a timed-out CreateItems may still have created the item); listing-service answers
     * the item ids' results first, then the task ids', so they are put back into the group's order.
     */
    List<StepOutcome> compensate(SagaStep step, List<SagaRun> runs) {
        return chunked(runs, chunk -> {
            CompensateRequest.Builder req = CompensateRequest.newBuilder().setStep(step.wire);
            if (step != SagaStep.CREATE_ITEM) {
                chunk.forEach(r -> req.addItemIds(r.itemId));
                return items(chunk, catalog(chunk).compensate(req.build()), false);
            }
            List<SagaRun> byItem = chunk.stream().filter(r -> r.itemId != 0).toList();
            List<SagaRun> byTask = chunk.stream().filter(r -> r.itemId == 0).toList();
            byItem.forEach(r -> req.addItemIds(r.itemId));
            byTask.forEach(r -> req.addTaskIds(r.taskId));
            List<SagaRun> order = new ArrayList<>(byItem);
            order.addAll(byTask);
            List<StepOutcome> answered = items(order, catalog(chunk).compensate(req.build()), false);
            java.util.Map<SagaRun, StepOutcome> bySaga = new java.util.IdentityHashMap<>();
            for (int i = 0; i < order.size(); i++) {
                bySaga.put(order.get(i), answered.get(i));
            }
            return chunk.stream().map(bySaga::get).toList();
        });
    }

    /**
     * The task keeps APPROVED with sub_status publish_failed. A task that is gone or has moved on
     * cannot be marked, which is final (not retried).
     */
    StepOutcome markPublishFailed(SagaRun run, String reason) {
        try {
            listing.withDeadlineAfter(SINGLE_DEADLINE_MS, TimeUnit.MILLISECONDS).markPublishFailed(
                    MarkPublishFailedRequest.newBuilder().setTaskId(run.taskId).setReason(truncate(reason)).build());
            return StepOutcome.success(0);
        } catch (StatusRuntimeException e) {
            return failure(e);
        }
    }

    private List<StepOutcome> publishMany(List<SagaRun> chunk) {
        TransitionManyReply reply = listing.withDeadlineAfter(deadline(chunk), TimeUnit.MILLISECONDS).transitionMany(
                TransitionManyRequest.newBuilder().setAction("publish").setOperatorType("system").setReason("publish saga")
                        .addAllTaskIds(chunk.stream().map(r -> r.taskId).toList())
                        .addAllItemIds(chunk.stream().map(r -> r.itemId).toList()).build());
        List<StepOutcome> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            TransitionResult r = i < reply.getResultsCount() ? reply.getResults(i) : null;
            if (r == null) {
                out.add(StepOutcome.failure(true, "no result for task " + chunk.get(i).taskId));
            } else if (r.getOk() || r.getStatus() == ONLINE) {
                out.add(StepOutcome.success(chunk.get(i).itemId));
            } else {
                out.add(StepOutcome.failure(false, r.getErrorCode() + ": " + r.getErrorMessage()));
            }
        }
        return out;
    }

    private CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog(List<SagaRun> chunk) {
        return catalog.withDeadlineAfter(deadline(chunk), TimeUnit.MILLISECONDS);
    }

    private static long deadline(List<SagaRun> chunk) {
        return chunk.size() == 1 ? SINGLE_DEADLINE_MS : CHUNK_DEADLINE_MS;
    }

    private static ItemRefs refs(List<SagaRun> chunk) {
        return ItemRefs.newBuilder().addAllItemIds(chunk.stream().map(r -> r.itemId).toList()).build();
    }

    /** Results come in request order; {@code index} is trusted when present, position otherwise. */
    private static List<StepOutcome> items(List<SagaRun> chunk, ItemResults reply, boolean createsItems) {
        StepOutcome[] out = new StepOutcome[chunk.size()];
        for (int i = 0; i < reply.getResultsCount(); i++) {
            ItemResult r = reply.getResults(i);
            int at = r.getIndex() >= 0 && r.getIndex() < out.length && out[r.getIndex()] == null ? r.getIndex() : i;
            if (at >= out.length) {
                continue;
            }
            out[at] = outcome(r, createsItems ? r.getItemId() : chunk.get(at).itemId);
        }
        List<StepOutcome> list = new ArrayList<>(out.length);
        for (StepOutcome o : out) {
            list.add(o != null ? o : StepOutcome.failure(true, "no result in the reply"));
        }
        return list;
    }

    private static StepOutcome outcome(ItemResult r, long itemId) {
        return r.getOk() ? StepOutcome.success(itemId) : StepOutcome.failure(r.getRetryable(), r.getErrorCode()
                + (r.getErrorField().isEmpty() ? "" : " (" + r.getErrorField() + ")") + ": " + r.getErrorMessage());
    }

    private List<StepOutcome> chunked(List<SagaRun> runs, Function<List<SagaRun>, List<StepOutcome>> call) {
        return chunked(runs, call, f -> f);
    }

    /** {@code call} per chunk; a chunk whose call fails as a whole answers {@code failed} of the failure for each saga. */
    private <T> List<T> chunked(List<SagaRun> runs, Function<List<SagaRun>, List<T>> call, Function<StepOutcome, T> failed) {
        List<T> out = new ArrayList<>(runs.size());
        for (int from = 0; from < runs.size(); from += chunkSize) {
            List<SagaRun> chunk = runs.subList(from, Math.min(runs.size(), from + chunkSize));
            try {
                out.addAll(call.apply(chunk));
            } catch (StatusRuntimeException e) {
                StepOutcome f = failure(e);
                chunk.forEach(r -> out.add(failed.apply(f)));
            }
        }
        return out;
    }

    static StepOutcome failure(StatusRuntimeException e) {
        String problem = e.getTrailers() == null ? null : e.getTrailers().get(GrpcProblems.PROBLEM_CODE);
        String message = (problem != null ? problem : e.getStatus().getCode().name())
                + ": " + e.getStatus().getDescription();
        return transient_(e.getStatus().getCode()) ? StepOutcome.outage(message) : StepOutcome.failure(false, message);
    }

    static boolean transient_(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.RESOURCE_EXHAUSTED;
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 1000 ? s.substring(0, 997) + "..." : s;
    }
}
