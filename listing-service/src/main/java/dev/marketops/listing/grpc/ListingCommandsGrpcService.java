package dev.marketops.listing.grpc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.listing.task.CreateListingCommand;
import dev.marketops.listing.task.ListingTask;
import dev.marketops.listing.task.TaskReads;
import dev.marketops.listing.task.ListingTaskService;
import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.ListingCommands;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionRequest;
import dev.marketops.proto.listing.CreateTaskResult;
import dev.marketops.proto.listing.CreateTasksReply;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.listing.task.BatchCreateService;
import dev.marketops.listing.task.BatchTransitionService;
import dev.marketops.proto.listing.MarkPublishFailedRequest;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionResult;
import java.util.List;
import dev.marketops.listing.task.ListingAction;
import dev.marketops.listing.task.TransitionContext;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.Map;

@GrpcService
public class ListingCommandsGrpcService implements ListingCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ListingTaskService tasks;
    @Inject
    BatchCreateService batchCreate;
    @Inject
    BatchTransitionService batchTransitions;

    @Override
    @Blocking
    public Uni<ListingTaskReply> createTask(CreateTaskRequest r) {
        return GrpcProblems.call(() -> {
            CreateListingCommand cmd = command(r, itemData(r.getItemDataJson()));
            return toReply(tasks.create(cmd, ActorPropagation.currentOrSystem(), r.getRequestId().isEmpty() ? null : r.getRequestId()).task());
        });
    }

    @Override
    @Blocking
    public Uni<CreateTasksReply> createTasks(CreateTasksRequest r) {
        return GrpcProblems.call(() -> {
            List<BatchCreateService.Item> items = new java.util.ArrayList<>(r.getTasksCount());
            for (CreateTaskRequest t : r.getTasksList()) {
                String key = t.getRequestId().isEmpty() ? null : t.getRequestId();
                try {
                    items.add(new BatchCreateService.Item(command(t, itemData(t.getItemDataJson())), key));
                } catch (ApiProblem unreadable) {
                    items.add(new BatchCreateService.Item(command(t, null), key, unreadable));
                }
            }
            CreateTasksReply.Builder out = CreateTasksReply.newBuilder();
            int failed = 0;
            for (BatchCreateService.Result res : batchCreate.create(items, r.getBatchId() == 0 ? null : r.getBatchId(),
                    r.getTaskType().isEmpty() ? null : r.getTaskType(), ActorPropagation.currentOrSystem())) {
                CreateTaskResult.Builder b = CreateTaskResult.newBuilder().setIndex(res.index()).setReplayed(res.replayed());
                if (res.error() != null) {
                    failed++;
                    b.setErrorCode(res.error().code()).setErrorMessage(res.error().getMessage())
                            .setErrorField(String.valueOf(res.error().extensions().getOrDefault("field", "")))
                            .setRetryable(res.error().isTransient());
                } else {
                    b.setTaskId(res.taskId()).setTaskCode(res.taskCode());
                }
                out.addResults(b);
            }
            return out.setCreated(r.getTasksCount() - failed).setFailed(failed).build();
        });
    }

    private static CreateListingCommand command(CreateTaskRequest r, Map<String, Object> data) {
        return new CreateListingCommand(r.getCategoryId() == 0 ? null : r.getCategoryId(),
                r.getTitle().isEmpty() ? null : r.getTitle(), null,
                r.getSourceType().isEmpty() ? null : r.getSourceType(),
                r.getSourceUserType().isEmpty() ? null : r.getSourceUserType(),
                r.getCreatorId() == 0 ? null : r.getCreatorId(), null, data, r.hasShopId() ? r.getShopId() : null);
    }

    @Override
    @Blocking
    public Uni<ListingTaskReply> getTask(GetTaskRequest r) {
        // for a service acting for a merchant, another shop's task is unknown
        return GrpcProblems.read(() -> toReply(
                tasks.get(r.getTaskId(), dev.marketops.listing.shop.Shops.scopeOf(ActorPropagation.currentOrSystem()))));
    }

    @Override
    @Blocking
    public Uni<ListingTaskReply> transition(TransitionRequest r) {
        return GrpcProblems.call(() -> {
            ListingAction action = ListingAction.transition(r.getAction()).orElseThrow(() ->
                    ApiProblem.invalidField("action", "unknown action", r.getAction()));
            Map<String, Object> validation = r.getValidationResultJson().isEmpty() ? null : itemData(r.getValidationResultJson());
            Actor who = actor(r.getOperatorId(), r.getOperatorType());
            TransitionContext ctx = new TransitionContext(r.getExpectedVersion() < 0 ? null : r.getExpectedVersion(),
                    who == null ? null : who.userId(), who == null ? emptyToNull(r.getOperatorType()) : who.type(),
                    emptyToNull(r.getReason()), emptyToNull(r.getAuditType()), validation, r.getItemId() == 0 ? null : r.getItemId());
            return toReply(tasks.transition(r.getTaskId(), action, ctx));
        });
    }

    /**
     * Who the history records for a transition: the request's operator when the calling service
     * names one (an auditor's decision relayed by audit-service), else the end user the calling
     * service acts for; null when a service acts on its own.
     */
    private static Actor actor(long operatorId, String operatorType) {
        if (operatorId != 0) {
            return new Actor(operatorId, emptyToNull(operatorType), java.util.Set.of(), null, null, null);
        }
        Actor a = ActorPropagation.currentOrSystem();
        if (a.userId() == 0) {
            return null;
        }
        return operatorType.isEmpty() ? a : new Actor(a.userId(), operatorType, a.roles(), a.merchantId(), a.ip(), a.userAgent());
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static Map<String, Object> itemData(String json) {
        if (json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (Exception e) {
            throw ApiProblem.invalidField("item_data_json", "must be a JSON object", json);
        }
    }

    static ListingTaskReply toReply(ListingTask t) {
        return TaskReads.Row.of(t).toReply();
    }

    @Override
    @Blocking
    public Uni<TransitionManyReply> transitionMany(TransitionManyRequest r) {
        return GrpcProblems.call(() -> {
            ListingAction action = ListingAction.transition(r.getAction()).orElseThrow(() ->
                    ApiProblem.invalidField("action", "unknown action", r.getAction()));
            Actor who = actor(r.getOperatorId(), r.getOperatorType());
            TransitionContext ctx = new TransitionContext(null, who == null ? null : who.userId(),
                    who == null ? emptyToNull(r.getOperatorType()) : who.type(), emptyToNull(r.getReason()),
                    emptyToNull(r.getAuditType()), null);
            TransitionManyReply.Builder out = TransitionManyReply.newBuilder();
            int ok = 0;
            for (BatchTransitionService.Result res : batchTransitions.transition(r.getTaskIdsList(), action, r.getItemIdsList(),
                    r.getExpectedVersionsList(), ctx, r.getBatchId() == 0 ? null : r.getBatchId())) {
                out.addResults(TransitionResult.newBuilder().setTaskId(res.taskId()).setOk(res.ok()).setStatus(res.status())
                        .setErrorCode(res.errorCode()).setErrorMessage(res.errorMessage()).setRetryable(res.retryable()));
                ok += res.ok() ? 1 : 0;
            }
            return out.setSucceeded(ok).setFailed(r.getTaskIdsCount() - ok).build();
        });
    }

    @Override
    @Blocking
    public Uni<ListingTaskReply> markPublishFailed(MarkPublishFailedRequest r) {
        return GrpcProblems.call(() -> toReply(tasks.markPublishFailed(r.getTaskId(), r.getReason())));
    }
}
