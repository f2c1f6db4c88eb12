package dev.marketops.listing.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.validation.ListingValidator;
import dev.marketops.validation.ValidationLevel;
import dev.marketops.validation.ValidationResult;
import dev.marketops.validation.Violation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Creating and reading listing tasks. Every change writes its history row and its event in one transaction. */
@ApplicationScoped
public class ListingTaskService {

    public record Created(ListingTask task, boolean replayed) {
    }

    private static final int MAX_TITLE = 255;
    private static final int MAX_KEY = 128;
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Inject
    SnowflakeIds ids;
    @Inject
    Outbox outbox;
    @Inject
    CategoryDirectory categories;
    @Inject
    ListingOrigins origins;
    @Inject
    dev.marketops.listing.metrics.ListingMetrics metrics;

    private final ListingValidator validator = ListingValidator.standard(java.time.Clock.systemUTC());

    /**
     * Creates a DRAFT task. With an idempotency key, a retry of the same request returns the
     * first task (replayed = true); the same key with a different request is refused.
     */
    public Created create(CreateListingCommand request, Actor actor, String idempotencyKey) {
        if (request == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        CreateListingCommand cmd = origins.resolve(request, actor);
        validate(cmd, idempotencyKey);
        String requestHash = idempotencyKey == null ? null : fingerprint(cmd);
        if (idempotencyKey != null) {
            var earlier = QuarkusTransaction.requiringNew().call(() -> ListingTask.byIdempotencyKey(idempotencyKey));
            if (earlier.isPresent()) {
                return replay(earlier.get(), requestHash, idempotencyKey);
            }
        }
        categories.require(cmd.categoryId(), "categoryId"); // outside the transaction: a remote call
        try {
            return new Created(QuarkusTransaction.requiringNew().call(() -> insert(cmd, idempotencyKey, requestHash)), false);
        } catch (PersistenceException e) {
            // Two retries raced past the lookup; the unique index let one win. Answer with the winner.
            if (idempotencyKey != null) {
                var winner = QuarkusTransaction.requiringNew().call(() -> ListingTask.byIdempotencyKey(idempotencyKey));
                if (winner.isPresent()) {
                    return replay(winner.get(), requestHash, idempotencyKey);
                }
            }
            throw e;
        }
    }

    public ListingTask get(long taskId) {
        return ListingTask.<ListingTask>findByIdOptional(taskId).orElseThrow(() -> unknown(taskId));
    }

    /**
     * The task as a caller confined to {@code shopScope} may see it (null: every shop). Another
     * shop's task is answered exactly like a task that does not exist.
     */
    public ListingTask get(long taskId, Long shopScope) {
        ListingTask t = get(taskId);
        if (shopScope != null && !shopScope.equals(t.shopId)) {
            throw unknown(taskId);
        }
        return t;
    }

    private static ApiProblem unknown(long taskId) {
        return ApiProblem.notFound("UNKNOWN_TASK", "no listing task with id " + taskId).with("taskId", taskId);
    }

    private ListingTask insert(CreateListingCommand cmd, String idempotencyKey, String requestHash) {
        ListingTask t = new ListingTask();
        t.taskId = ids.nextId();
        t.taskCode = "LT" + t.taskId;
        t.taskType = cmd.taskType() == null ? "single_create" : cmd.taskType();
        t.categoryId = cmd.categoryId();
        t.title = cmd.title().trim();
        t.status = ListingStatus.DRAFT.code;
        t.sourceType = cmd.sourceType();
        t.sourceUserType = cmd.sourceUserType();
        t.sourceUserId = cmd.creatorId();
        t.merchantId = cmd.merchantId();
        t.shopId = cmd.shopId();
        t.itemData = cmd.itemData() == null ? Map.of() : cmd.itemData();
        t.idempotencyKey = idempotencyKey;
        t.requestHash = requestHash;
        t.createdBy = cmd.creatorId() == null ? 0 : cmd.creatorId();
        t.createdAt = OffsetDateTime.now();
        t.updatedAt = t.createdAt;
        t.persistAndFlush();

        StateHistory h = new StateHistory();
        h.taskId = t.taskId;
        h.fromStatus = null;
        h.toStatus = t.status;
        h.action = "create";
        h.operatorId = cmd.creatorId();
        h.operatorType = cmd.sourceUserType();
        device(h);
        h.changedAt = t.createdAt;
        h.persist();

        ListingEvent event = event(t, "created", -1, "create", t.createdBy);
        outbox.enqueue(ListingTopics.LIFECYCLE, Long.toString(t.taskId), event.getEventType(), event.getEventId(), event);
        return t;
    }

    /**
     * Applies one action of the state machine: checks it is allowed from the current state and
     * that the caller's version is current, then writes the new state, the history row and the
     * events (lifecycle feed plus the flow topic of the action) in one transaction.
     */
    public ListingTask transition(long taskId, ListingAction action, TransitionContext ctx) {
        if (action == ListingAction.SUBMIT) {
            checkSubmittable(taskId);
        }
        ListingStatus[] was = new ListingStatus[1];
        OffsetDateTime[] since = new OffsetDateTime[1];
        ListingTask moved = OptimisticWrites.run(taskId, () -> {
            ListingTask t = get(taskId);
            if (action == ListingAction.PUBLISH && t.state() == ListingStatus.ONLINE && ctx.itemId() != null
                    && ctx.itemId().equals(t.itemId)) {
                was[0] = null;
                return t; // a retried publish saga step: already done, no second event
            }
            checkVersion(t, ctx.expectedVersion());
            ListingStatus from = t.state();
            ListingStatus to = ListingStateMachine.next(from, action).orElseThrow(() -> illegal(t, from, action));
            was[0] = from;
            since[0] = t.updatedAt;
            t.status = to.code;
            t.updatedAt = OffsetDateTime.now();
            if (action == ListingAction.PUBLISH) {
                if (ctx.itemId() != null) {
                    t.itemId = ctx.itemId();
                }
                t.subStatus = null;
                t.errorMessage = null;
            }
            if (ctx.auditType() != null) {
                t.auditType = ctx.auditType();
                t.auditTime = t.updatedAt;
                t.auditorId = ctx.operatorId();
                t.auditComment = ctx.reason();
            }
            if (ctx.validationResult() != null) {
                t.validationResult = ctx.validationResult();
            }
            ListingTask.flush(); // bumps the version (and fails a concurrent writer) before the event carries it
            record(t, from, action, ctx);
            return t;
        });
        if (was[0] != null) {
            metrics.moved(moved.categoryId, moved.batchId, moved.sourceType, was[0].code, moved.status,
                    since[0] == null ? null : java.time.Duration.between(since[0], moved.updatedAt));
        }
        return moved;
    }

    /**
     * The publish saga gave up and compensated: the task stays APPROVED, marked publish_failed
     * with the reason, so operators see it and a later publish may try again.
     */
    public ListingTask markPublishFailed(long taskId, String reason) {
        ListingTask failed = OptimisticWrites.run(taskId, () -> {
            ListingTask t = get(taskId);
            if (t.state() != ListingStatus.APPROVED) {
                throw ApiProblem.conflict("ILLEGAL_TRANSITION", "only an APPROVED task can fail to publish; task " + taskId
                        + " is " + t.state()).with("taskId", taskId).with("from", t.state().name()).with("action", "publish_failed");
            }
            t.subStatus = "publish_failed";
            t.errorMessage = reason == null || reason.isBlank() ? "publish failed" : reason;
            t.updatedAt = OffsetDateTime.now();
            ListingTask.flush();
            return t;
        });
        metrics.publishFailed(failed.categoryId, failed.batchId, failed.sourceType);
        return failed;
    }

    /**
     * Soft-deletes a task (ListingStateMachine says from which states): deleted_at is set, the
     * version moves on, and the history row and the lifecycle event ("deleted") are written with it.
     * Afterwards the task is unknown to reads and lists; DataCleanupWorker purges it after retention.
     */
    public ListingTask delete(long taskId, TransitionContext ctx) {
        return OptimisticWrites.run(taskId, () -> {
            ListingTask t = get(taskId);
            checkVersion(t, ctx.expectedVersion());
            ListingStatus from = t.state();
            if (!ListingStateMachine.deletable(from)) {
                throw illegal(t, from, ListingAction.DELETE);
            }
            t.updatedAt = OffsetDateTime.now();
            t.deletedAt = t.updatedAt;
            ListingTask.flush();
            record(t, from, ListingAction.DELETE, ctx);
            return t;
        });
    }

    /** Edits title and attributes; allowed only while the task is a draft or rejected. */
    public ListingTask edit(long taskId, Long expectedVersion, String title, Map<String, Object> itemData, Long operatorId,
                            String operatorType) {
        if (title != null && (title.isBlank() || title.length() > MAX_TITLE)) {
            throw ApiProblem.invalidField("title", "must be 1.." + MAX_TITLE + " characters", title);
        }
        return OptimisticWrites.run(taskId, () -> {
            ListingTask t = get(taskId);
            checkVersion(t, expectedVersion);
            if (!ListingStateMachine.editable(t.state())) {
                throw illegal(t, t.state(), ListingAction.EDIT);
            }
            if (title != null) {
                t.title = title.trim();
            }
            if (itemData != null) {
                t.itemData = itemData;
            }
            t.updatedAt = OffsetDateTime.now();
            ListingTask.flush();
            record(t, t.state(), ListingAction.EDIT, TransitionContext.of(expectedVersion, operatorId, operatorType, null));
            return t;
        });
    }

    /**
     * A task goes to audit only with its required attributes present and well-formed (the
     * fast-track level of the validation engine); business rules are the audit's job.
     */
    private void checkSubmittable(long taskId) {
        ListingTask t = QuarkusTransaction.requiringNew().call(() -> get(taskId));
        ApiProblem p = submitProblem(taskId, t.categoryId, t.itemData);
        if (p != null) {
            throw p;
        }
    }

    /** Why this item data cannot go to audit, or null when it can (a remote schema lookup: call outside a transaction). */
    ApiProblem submitProblem(long taskId, long categoryId, Map<String, Object> itemData) {
        ValidationResult result = validator.validate(categories.schema(categoryId), itemData, ValidationLevel.REQUIRED_AND_FORMAT);
        if (result.valid()) {
            return null;
        }
        Violation first = result.violations().get(0);
        return ApiProblem.badRequest("VALIDATION_FAILED", "the listing cannot be submitted: " + result.summary())
                .with("taskId", taskId).with("field", "itemData." + first.field()).with("rule", first.rule())
                .with("violations", result.toMap().get("violations"));
    }

    private void record(ListingTask t, ListingStatus from, ListingAction action, TransitionContext ctx) {
        StateHistory h = new StateHistory();
        h.taskId = t.taskId;
        h.itemId = t.itemId;
        h.fromStatus = from.code;
        h.toStatus = t.status;
        h.action = action.wire;
        h.reason = ctx.reason() == null ? null : ctx.reason().substring(0, Math.min(500, ctx.reason().length()));
        h.operatorId = ctx.operatorId();
        h.operatorType = ctx.operatorType();
        device(h);
        h.changedAt = t.updatedAt;
        h.persist();

        String key = Long.toString(t.taskId);
        long operator = ctx.operatorId() == null ? 0 : ctx.operatorId();
        ListingEvent lifecycle = event(t, ListingTopics.eventType(action), from.code, action.wire, operator);
        List<Outbox.Message> messages = new ArrayList<>(2);
        messages.add(new Outbox.Message(ListingTopics.LIFECYCLE, key, lifecycle.getEventType(), lifecycle.getEventId(), lifecycle));
        ListingTopics.flowTopic(action).ifPresent(topic -> {
            ListingEvent flow = lifecycle.toBuilder().setEventId(UUID.randomUUID().toString()).build();
            messages.add(new Outbox.Message(topic, key, flow.getEventType(), flow.getEventId(), flow));
        });
        outbox.enqueueAll(messages);
    }

    /** The acting user's client IP and user agent (a REST caller's, or the one a calling service propagated). */
    private static void device(StateHistory h) {
        Actor a = ActorPropagation.current();
        if (a != null) {
            h.clientIp = a.ip() == null ? null : a.ip().substring(0, Math.min(64, a.ip().length()));
            h.userAgent = a.userAgent() == null ? null : a.userAgent().substring(0, Math.min(300, a.userAgent().length()));
        }
    }

    private static ListingEvent event(ListingTask t, String type, int from, String action, long operator) {
        return ListingEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType(type)
                .setTimestamp(System.currentTimeMillis())
                .setTaskId(t.taskId).setTaskCode(t.taskCode).setCategoryId(t.categoryId)
                .setBatchId(t.batchId == null ? 0 : t.batchId).setItemId(t.itemId == null ? 0 : t.itemId)
                .setSourceType(t.sourceType).setSourceUserType(t.sourceUserType)
                .setFromStatus(from).setToStatus(t.status).setAction(action)
                .setVersion(t.version).setTitle(t.title).setOperatorId(operator).setOwnerId(t.createdBy)
                .build();
    }

    private static void checkVersion(ListingTask t, Long expected) {
        if (expected != null && expected != t.version) {
            throw OptimisticWrites.stale(t.taskId, expected, t.version);
        }
    }

    private static ApiProblem illegal(ListingTask t, ListingStatus from, ListingAction action) {
        return ApiProblem.conflict("ILLEGAL_TRANSITION", "cannot " + action.wire + " a task in state " + from)
                .with("taskId", t.taskId).with("from", from.name()).with("action", action.wire)
                .with("allowedActions", ListingStateMachine.allowedFrom(from).stream().map(a -> a.wire).sorted().toList());
    }

    private static Created replay(ListingTask earlier, String requestHash, String key) {
        if (earlier.deletedAt != null) {
            throw ApiProblem.conflict("TASK_DELETED", "idempotency key " + key + " created a task that was deleted since")
                    .with("taskId", earlier.taskId);
        }
        if (earlier.requestHash != null && !earlier.requestHash.equals(requestHash)) {
            throw new ApiProblem(422, "IDEMPOTENCY_KEY_REUSED", "Idempotency key reused",
                    "idempotency key " + key + " was used for a different request")
                    .with("taskId", earlier.taskId);
        }
        return new Created(earlier, true);
    }

    static void validate(CreateListingCommand cmd, String idempotencyKey) {
        if (cmd == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        if (cmd.categoryId() == null) {
            throw ApiProblem.missingField("categoryId");
        }
        if (cmd.title() == null || cmd.title().isBlank()) {
            throw ApiProblem.missingField("title");
        }
        if (cmd.title().length() > MAX_TITLE) {
            throw ApiProblem.invalidField("title", "must be at most " + MAX_TITLE + " characters", cmd.title().length());
        }
        if (cmd.sourceType() == null) {
            throw ApiProblem.missingField("sourceType");
        }
        oneOf("sourceType", cmd.sourceType(), ListingVocabulary.SOURCE_TYPES);
        if (cmd.sourceUserType() == null) {
            throw ApiProblem.missingField("sourceUserType");
        }
        oneOf("sourceUserType", cmd.sourceUserType(), ListingVocabulary.SOURCE_USER_TYPES);
        if (cmd.taskType() != null) {
            oneOf("taskType", cmd.taskType(), ListingVocabulary.TASK_TYPES);
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY)) {
            throw ApiProblem.invalidField("Idempotency-Key", "must be 1.." + MAX_KEY + " characters", idempotencyKey);
        }
    }

    private static void oneOf(String field, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw ApiProblem.invalidField(field, "must be one of " + new TreeSet<>(allowed), value);
        }
    }

    private static String fingerprint(CreateListingCommand cmd) {
        try {
            Map<String, Object> canonical = new LinkedHashMap<>();
            canonical.put("c", cmd);
            byte[] json = CANONICAL.writeValueAsBytes(canonical);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
