package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.client.CatalogClient;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchActor;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ChunkResult;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.batch.worker.ItemOutcome;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.config.Category;
import dev.marketops.proto.config.CategoryAttribute;
import dev.marketops.proto.config.CategorySchema;
import dev.marketops.proto.events.ListingBatchEvent;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.CreateTaskResult;
import dev.marketops.proto.listing.CreateTasksReply;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * listing_upload: a sheet of new listings of mixed categories (category_id, title, then the
 * categories' attributes as columns). Each chunk of 1,000 becomes listing tasks (CreateTasks,
 * request ids batch:row, so a retried chunk returns the same tasks), is submitted together
 * (TransitionMany submit with the batch id) and announced on listing.batch.parsed for the
 * batch audit. An item finishes when its task goes ONLINE or is rejected.
 */
@ApplicationScoped
public class ListingUploadWorker extends BatchWorker {

    public static final String TOPIC_PARSED = "listing.batch.parsed";
    private static final int DRAFT = 0;
    private static final int REJECTED = 12;
    private static final int ONLINE = 20;

    @Inject
    CatalogClient client;
    @Inject
    CategoryDirectory categories;

    @Override
    public OperationType type() {
        return OperationType.LISTING_UPLOAD;
    }

    @Override
    public String codePrefix() {
        return "LISTING";
    }

    @Override
    public List<Column> columns() {
        // shop_id: the shop a staff member's row is for (else params.shopId for the whole sheet);
        // a merchant's rows always belong to its own shop (listing-service takes it from the token)
        return List.of(Column.required("category_id", Kind.ID), Column.required("title", Kind.TEXT),
                Column.optional("shop_id", Kind.ID));
    }

    @Override
    public boolean openColumns() {
        return true;
    }

    @Override
    public int maxRows() {
        return 50_000;
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        long categoryId = row.id("category_id");
        Optional<Category> category = categories.find(categoryId);
        if (category.isEmpty() || !category.get().getEnabled()) {
            throw row.error("category_id", "UNKNOWN_CATEGORY", "no enabled category " + categoryId);
        }
        CategorySchema schema = categories.schema(categoryId);
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, CategoryAttribute> byCode = new HashMap<>();
        schema.getAttributesList().forEach(a -> byCode.put(a.getAttributeCode().toLowerCase(), a));
        for (Map.Entry<String, String> e : row.extra().entrySet()) {
            CategoryAttribute a = byCode.get(e.getKey());
            if (a == null) {
                continue; // a column of another category in a mixed sheet
            }
            data.put(a.getAttributeCode(), typed(row, a, e.getValue()));
        }
        for (CategoryAttribute a : schema.getAttributesList()) {
            if (a.getRequired() && !data.containsKey(a.getAttributeCode()) && a.getDefaultValue().isEmpty()) {
                throw row.error(a.getAttributeCode(), "MISSING_VALUE", "category " + categoryId + " requires " + a.getAttributeName());
            }
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("category_id", categoryId);
        p.put("title", row.text("title"));
        p.put("item_data", data);
        Long shop = row.has("shop_id") ? row.longOrNull("shop_id") : params.longOrNull("shopId");
        if (shop != null) {
            p.put("shop_id", shop);
        }
        return new ParsedRow("listing_task", 0, p, null);
    }

    private static Object typed(RowValues row, CategoryAttribute a, String text) {
        try {
            switch (a.getAttributeType()) {
                case "number", "decimal" -> {
                    return new BigDecimal(text);
                }
                case "integer" -> {
                    return new BigDecimal(text).longValueExact();
                }
                case "bool" -> {
                    return Boolean.parseBoolean(text) || "1".equals(text) || "yes".equalsIgnoreCase(text);
                }
                case "enum" -> {
                    if (!a.getEnumValuesList().isEmpty() && !a.getEnumValuesList().contains(text)) {
                        throw row.error(a.getAttributeCode(), "INVALID_VALUE", "must be one of " + a.getEnumValuesList());
                    }
                    return text;
                }
                case "json" -> {
                    return Json.MAPPER.readTree(text);
                }
                default -> {
                    return text;
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw row.error(a.getAttributeCode(), "NOT_A_NUMBER", "must be a number, was \"" + text + "\"");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw row.error(a.getAttributeCode(), "INVALID_JSON", "must be JSON");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public ChunkResult apply(Chunk chunk) {
        List<ItemOutcome> out = new ArrayList<>();
        if (chunk.dryRun()) {
            for (ClaimedItem i : chunk.items()) {
                out.add(ItemOutcome.succeeded(i.rowNo(), null, Json.write(Map.of("would_create", true))));
            }
            return ChunkResult.of(out);
        }
        CreateTasksRequest.Builder req = CreateTasksRequest.newBuilder().setBatchId(chunk.batchId()).setTaskType("batch_import");
        for (ClaimedItem i : chunk.items()) {
            Map<String, Object> p = i.payload();
            CreateTaskRequest.Builder task = CreateTaskRequest.newBuilder().setRequestId(chunk.batchId() + ":" + i.rowNo())
                    .setCategoryId(((Number) p.get("category_id")).longValue()).setTitle((String) p.get("title"))
                    .setSourceType("excel_batch").setSourceUserType(BatchActor.sourceUserType(chunk.actor())).setCreatorId(chunk.createdBy())
                    .setItemDataJson(Json.write(p.getOrDefault("item_data", Map.of())));
            if (p.get("shop_id") instanceof Number shop) {
                task.setShopId(shop.longValue());
            }
            req.addTasks(task);
        }
        CreateTasksReply created = client.createTasks(req.build());
        List<Long> taskIds = new ArrayList<>();
        Map<Long, ClaimedItem> byTask = new HashMap<>();
        java.util.Set<Long> replayed = new java.util.HashSet<>();
        for (int k = 0; k < chunk.items().size(); k++) {
            ClaimedItem i = chunk.items().get(k);
            CreateTaskResult r = k < created.getResultsCount() ? created.getResults(k) : null;
            if (r != null && r.getTaskId() == 0 && r.getRetryable()) {
                // a peer of listing-service did not answer (config-service, on a loaded machine): the row is
                // tried again later with the same request id, not failed for good
                out.add(ItemOutcome.retry(i.rowNo(), r.getErrorCode(), r.getErrorMessage()));
            } else if (r == null || r.getTaskId() == 0) {
                out.add(ItemOutcome.failed(i.rowNo(), r == null ? "NO_RESULT" : r.getErrorCode(),
                        r == null ? null : CatalogueItemWorker.emptyToNull(r.getErrorField()),
                        r == null ? "no result" : r.getErrorMessage()));
            } else {
                taskIds.add(r.getTaskId());
                byTask.put(r.getTaskId(), i);
                if (r.getReplayed()) {
                    replayed.add(r.getTaskId());
                }
            }
        }
        if (taskIds.isEmpty()) {
            return ChunkResult.of(out);
        }
        TransitionManyReply submitted = client.transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(taskIds)
                .setAction("submit").setOperatorId(chunk.createdBy()).setOperatorType(chunk.operatorType())
                .setReason("batch " + chunk.batchCode()).setBatchId(chunk.batchId()).build());
        Map<Long, TransitionResult> results = new HashMap<>();
        submitted.getResultsList().forEach(r -> results.put(r.getTaskId(), r));
        List<Long> parsed = new ArrayList<>();
        for (Long taskId : taskIds) {
            ClaimedItem i = byTask.get(taskId);
            TransitionResult r = results.get(taskId);
            String after = Json.write(Map.of("task_id", taskId));
            // Reconciled by request id: a chunk tried again (after an outage, a crash, or a retry of the
            // batch) gets the tasks created the first time back (replayed), and finds the ones already
            // submitted then in a later state: that earlier submit was this row's, it goes on from there.
            boolean earlier = r != null && !r.getOk() && replayed.contains(taskId) && "ILLEGAL_TRANSITION".equals(r.getErrorCode());
            if (earlier && r.getStatus() >= ONLINE) {
                // gone online (and maybe on) before this batch knew its task (its listing.published found no row to finish)
                out.add(new ItemOutcome(i.rowNo(), ItemOutcome.Kind.SUCCEEDED, taskId, null,
                        Json.write(Map.of("task_id", taskId, "status", "online")), null, null, null));
            } else if (earlier && r.getStatus() == REJECTED) {
                out.add(ItemOutcome.failed(i.rowNo(), "REJECTED", null, "the listing was rejected in audit").withTarget(taskId));
            } else if (r != null && (r.getOk() || (earlier && r.getStatus() > DRAFT))) {
                out.add(new ItemOutcome(i.rowNo(), ItemOutcome.Kind.AWAITING, taskId, null, after, null, null, null));
                parsed.add(taskId);
            } else if (r != null && r.getRetryable()) {
                // its draft stays; the retry gets it back by request id (replayed) and submits it again
                out.add(ItemOutcome.retry(i.rowNo(), r.getErrorCode(), r.getErrorMessage()).withTarget(taskId));
            } else {
                out.add(ItemOutcome.failed(i.rowNo(), r == null ? "NO_RESULT" : r.getErrorCode(), null,
                        r == null ? "no submit result" : r.getErrorMessage()).withTarget(taskId));
            }
        }
        List<Outbox.Message> events = new ArrayList<>();
        if (!parsed.isEmpty()) {
            int chunkNo = (chunk.items().get(0).rowNo() - 2) / chunkSize() + 1;
            int chunkCount = (chunk.totalCount() + chunkSize() - 1) / chunkSize();
            String id = UUID.randomUUID().toString();
            events.add(new Outbox.Message(TOPIC_PARSED, Long.toString(chunk.batchId()), "parsed", id,
                    ListingBatchEvent.newBuilder().setEventId(id).setEventType("parsed").setTimestamp(System.currentTimeMillis())
                            .setBatchId(chunk.batchId()).addAllTaskIds(parsed).setChunkNo(chunkNo)
                            .setChunkCount(Math.max(chunkNo, chunkCount)).build()));
        }
        return new ChunkResult(out, events);
    }
}
