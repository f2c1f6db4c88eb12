package dev.marketops.listing.task;

import dev.marketops.platform.limits.RateLimited;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import dev.marketops.listing.shop.Shops;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Listing tasks over REST. Who acts is the caller's token ({@link Caller}): body fields that name
 * the actor may only repeat it. A merchant sees and changes only its own shop's tasks; another
 * shop's task id is answered as unknown (404).
 */
@Path("/listings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ListingResource {

    public record TaskView(long taskId, String taskCode, String taskType, long categoryId, String title, int status,
                           String statusName, String sourceType, String sourceUserType, Long merchantId, Long shopId,
                           Map<String, Object> itemData, long version, String auditType, String auditComment,
                           long createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                           Long itemId, Long batchId, String subStatus, String errorMessage, List<String> allowedActions) {
        /** {@code allowedActions}: what this REST API takes for the task's state now (edit and the action paths). */
        static TaskView of(ListingTask t) {
            return new TaskView(t.taskId, t.taskCode, t.taskType, t.categoryId, t.title, t.status, t.state().name(),
                    t.sourceType, t.sourceUserType, t.merchantId, t.shopId, t.itemData, t.version, t.auditType, t.auditComment, t.createdBy, t.createdAt,
                    t.updatedAt, t.itemId, t.batchId, t.subStatus, t.errorMessage, actionsFrom(t.state()));
        }

        /** The same view for a caller who may only read: no actions. */
        TaskView readOnly() {
            return new TaskView(taskId, taskCode, taskType, categoryId, title, status, statusName, sourceType, sourceUserType, merchantId,
                    shopId, itemData, version, auditType, auditComment, createdBy, createdAt, updatedAt, itemId, batchId, subStatus,
                    errorMessage, List.of());
        }
    }

    static List<String> actionsFrom(ListingStatus s) {
        List<String> out = new java.util.ArrayList<>();
        for (ListingAction a : ListingAction.values()) { // the enum's order: a stable order for buttons
            if (ListingStateMachine.allowedFrom(s).contains(a) && (PUBLIC_ACTIONS.contains(a) || a == ListingAction.EDIT)) {
                out.add(a.wire);
            }
        }
        return List.copyOf(out);
    }

    public record HistoryView(Integer fromStatus, int toStatus, String action, String reason, Long operatorId,
                              String operatorType, OffsetDateTime changedAt) {
    }

    public record ActionRequest(Long expectedVersion, String reason, Long operatorId, String operatorType) {
    }

    public record EditRequest(Long expectedVersion, String title, Map<String, Object> itemData, Long operatorId) {
    }

    /** Approve and reject belong to audit-service (its workers and review queue call them over gRPC). */
    private static final java.util.Set<ListingAction> PUBLIC_ACTIONS = java.util.EnumSet.of(ListingAction.SUBMIT,
            ListingAction.PUBLISH, ListingAction.OFFLINE, ListingAction.ONLINE, ListingAction.MAINTAIN, ListingAction.OUT_OF_STOCK);

    /** creatorId and merchantId are optional and may only repeat the caller; shopId is required unless the caller is a merchant. */
    public record BatchItem(Long categoryId, String title, String taskType, String sourceType, String sourceUserType,
                            Long creatorId, Long merchantId, Long shopId, Map<String, Object> itemData, String idempotencyKey) {
    }

    public record BatchRequest(Long batchId, String taskType, List<BatchItem> tasks) {
    }

    public record BatchResultView(int index, Long taskId, String taskCode, boolean replayed, String errorCode,
                                  String errorField, String errorMessage) {
    }

    public record BatchView(int created, int failed, List<BatchResultView> results) {
    }

    @Inject
    ListingTaskService tasks;
    @Inject
    BatchCreateService batchCreate;
    @Inject
    Caller caller;

    /** Up to 1,000 drafts in one call; each item succeeds or fails on its own (results in request order). */
    @POST
    @Path("/batch")
    @PermissionsAllowed(Permission.Names.LISTING_WRITE)
    @RateLimited("create")
    public BatchView createMany(BatchRequest body) {
        if (body == null) {
            throw ApiProblem.missingField("tasks");
        }
        List<BatchCreateService.Item> items = body.tasks() == null ? null : body.tasks().stream()
                .map(t -> new BatchCreateService.Item(new CreateListingCommand(t.categoryId(), t.title(), t.taskType(),
                        t.sourceType(), t.sourceUserType(), t.creatorId(), t.merchantId(), t.itemData(), t.shopId()), t.idempotencyKey()))
                .toList();
        List<BatchCreateService.Result> results = batchCreate.create(items, body.batchId(), body.taskType(), caller.actor());
        List<BatchResultView> views = results.stream().map(r -> new BatchResultView(r.index(), r.taskId(), r.taskCode(),
                r.replayed(), r.error() == null ? null : r.error().code(),
                r.error() == null ? null : (String) r.error().extensions().get("field"),
                r.error() == null ? null : r.error().getMessage())).toList();
        int failed = (int) results.stream().filter(r -> r.error() != null).count();
        return new BatchView(results.size() - failed, failed, views);
    }

    /** The shop the caller is confined to (a merchant's own), null for staff. */
    private Long scope() {
        return Shops.scopeOf(caller.actor());
    }

    private static OffsetDateTime instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.invalidField(field, "must be an ISO-8601 date-time with offset, e.g. 2026-11-22T00:00:00Z", value);
        }
    }

    @POST
    @Path("/{taskId}/actions/{action}")
    @PermissionsAllowed(Permission.Names.LISTING_WRITE)
    public TaskView act(@PathParam("taskId") long taskId, @PathParam("action") String action, ActionRequest body) {
        ListingAction a = ListingAction.of(action).filter(PUBLIC_ACTIONS::contains).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_ACTION", "no action '" + action + "' here; one of "
                        + PUBLIC_ACTIONS.stream().map(x -> x.wire).sorted().toList()).with("action", action));
        ActionRequest r = body == null ? new ActionRequest(null, null, null, null) : body;
        if (r.expectedVersion() == null) {
            throw ApiProblem.missingField("expectedVersion");
        }
        caller.sameAsCaller("operatorId", r.operatorId(), caller.userId());
        caller.sameAsCaller("operatorType", r.operatorType(), caller.type());
        tasks.get(taskId, scope()); // another shop's task: 404 before anything moves (a task's shop never changes)
        return TaskView.of(tasks.transition(taskId, a, TransitionContext.of(r.expectedVersion(), caller.userId(),
                caller.type(), r.reason())));
    }

    @jakarta.ws.rs.PUT
    @Path("/{taskId}")
    @PermissionsAllowed(Permission.Names.LISTING_WRITE)
    public TaskView edit(@PathParam("taskId") long taskId, EditRequest body) {
        if (body == null || body.expectedVersion() == null) {
            throw ApiProblem.missingField("expectedVersion");
        }
        caller.sameAsCaller("operatorId", body.operatorId(), caller.userId());
        tasks.get(taskId, scope());
        return TaskView.of(tasks.edit(taskId, body.expectedVersion(), body.title(), body.itemData(), caller.userId(), caller.type()));
    }

    /**
     * The soft delete of a draft, rejected or offline task ({@code expectedVersion} required, as
     * for every change): 204; from another state 409 ILLEGAL_TRANSITION, an outdated version 409
     * STALE_VERSION; a deleted task, or another shop's, is unknown (404).
     */
    @jakarta.ws.rs.DELETE
    @Path("/{taskId}")
    @PermissionsAllowed(Permission.Names.LISTING_WRITE)
    public Response delete(@PathParam("taskId") long taskId, @QueryParam("expectedVersion") Long expectedVersion,
                           @QueryParam("reason") String reason) {
        if (expectedVersion == null) {
            throw ApiProblem.missingField("expectedVersion");
        }
        tasks.get(taskId, scope());
        tasks.delete(taskId, TransitionContext.of(expectedVersion, caller.userId(), caller.type(), reason));
        return Response.noContent().build();
    }

    /** A single draft; the body's creatorId/merchantId may only repeat the caller, shopId is required unless a merchant creates. */
    @POST
    @PermissionsAllowed(Permission.Names.LISTING_WRITE)
    @RateLimited("create")
    public Response create(CreateListingCommand body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        ListingTaskService.Created created = tasks.create(body, caller.actor(), idempotencyKey);
        TaskView view = TaskView.of(created.task());
        if (created.replayed()) {
            return Response.ok(view).header("Idempotent-Replayed", "true").build();
        }
        return Response.created(URI.create("/listings/" + view.taskId())).entity(view).build();
    }

    @GET
    @Path("/{taskId}")
    @PermissionsAllowed(Permission.Names.LISTING_READ)
    public TaskView get(@PathParam("taskId") long taskId) {
        TaskView v = TaskView.of(tasks.get(taskId, scope()));
        return caller.actor().has(Permission.LISTING_WRITE) ? v : v.readOnly();
    }

    @GET
    @Path("/{taskId}/history")
    @PermissionsAllowed(Permission.Names.LISTING_READ)
    public List<HistoryView> history(@PathParam("taskId") long taskId) {
        tasks.get(taskId, scope());
        return StateHistory.ofTask(taskId).stream().map(h -> new HistoryView(h.fromStatus, h.toStatus, h.action,
                h.reason, h.operatorId, h.operatorType, h.changedAt)).toList();
    }

    /** A merchant's list holds only its own shop's tasks; staff filter by shopId if they like. */
    @GET
    @PermissionsAllowed(Permission.Names.LISTING_READ)
    public Page<TaskView> query(@QueryParam("categoryId") Long categoryId, @QueryParam("status") Integer status,
                                @QueryParam("sourceType") String sourceType, @QueryParam("createdBy") Long createdBy,
                                @QueryParam("batchId") Long batchId, @QueryParam("shopId") Long shopId,
                                @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("20") int size) {
        ListingPages.check(page, size);
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        Long scope = scope();
        if (scope != null) {
            caller.sameAsCaller("shopId", shopId, scope);
            shopId = scope;
        }
        if (shopId != null) {
            where.append(" and shopId = :shopId");
            params.put("shopId", shopId);
        }
        if (categoryId != null) {
            where.append(" and categoryId = :categoryId");
            params.put("categoryId", categoryId);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        if (sourceType != null) {
            where.append(" and sourceType = :sourceType");
            params.put("sourceType", sourceType);
        }
        if (createdBy != null) {
            where.append(" and createdBy = :createdBy");
            params.put("createdBy", createdBy);
        }
        if (batchId != null) {
            where.append(" and batchId = :batchId");
            params.put("batchId", batchId);
        }
        if (createdFrom != null) {
            where.append(" and createdAt >= :createdFrom");
            params.put("createdFrom", instant("createdFrom", createdFrom));
        }
        if (createdTo != null) {
            where.append(" and createdAt < :createdTo");
            params.put("createdTo", instant("createdTo", createdTo));
        }
        var query = ListingTask.<ListingTask>find(where + " order by createdAt desc, taskId desc", params);
        List<TaskView> items = query.page(page, size).list().stream().map(TaskView::of).toList();
        return new Page<>(items, page, size, query.count());
    }
}
