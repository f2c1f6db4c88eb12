package dev.marketops.listing.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.events.ListingEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
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

    /**
     * Creates a DRAFT task. With an idempotency key, a retry of the same request returns the
     * first task (replayed = true); the same key with a different request is refused.
     */
    public Created create(CreateListingCommand cmd, String idempotencyKey) {
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
        return ListingTask.<ListingTask>findByIdOptional(taskId).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_TASK", "no listing task with id " + taskId).with("taskId", taskId));
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
        h.changedAt = t.createdAt;
        h.persist();

        ListingEvent event = ListingEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("created")
                .setTimestamp(System.currentTimeMillis())
                .setTaskId(t.taskId).setTaskCode(t.taskCode).setCategoryId(t.categoryId)
                .setSourceType(t.sourceType).setSourceUserType(t.sourceUserType)
                .setFromStatus(-1).setToStatus(t.status).setAction("create")
                .setVersion(t.version).setTitle(t.title).setOperatorId(t.createdBy)
                .build();
        outbox.enqueue(ListingTopics.LIFECYCLE, Long.toString(t.taskId), event.getEventType(), event.getEventId(), event);
        return t;
    }

    private static Created replay(ListingTask earlier, String requestHash, String key) {
        if (earlier.requestHash != null && !earlier.requestHash.equals(requestHash)) {
            throw new ApiProblem(422, "IDEMPOTENCY_KEY_REUSED", "Idempotency key reused",
                    "idempotency key " + key + " was used for a different request")
                    .with("taskId", earlier.taskId);
        }
        return new Created(earlier, true);
    }

    private static void validate(CreateListingCommand cmd, String idempotencyKey) {
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
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 64);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
