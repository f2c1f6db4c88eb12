package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.client.CatalogClient;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ChunkResult;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.batch.worker.ItemOutcome;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.RestoreItemsRequest;
import dev.marketops.proto.catalog.RestoreTarget;
import dev.marketops.proto.catalog.StreamItemsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * history_restore (issue 11): put a set of products back as they were at time {@code params.at}
 * (ISO instant). The set is a file of item ids, {@code params.itemIds}, or a filter
 * ({@code params.categoryIds}, a merchant's own shop). The catalogue rebuilds each product's
 * state at that time from its history and applies it as a normal, validated change (recorded as
 * ROLLBACK); its dry run shows every product's diff; conflicts (a SKU or date gone, a state that
 * forbids it) are failed rows. Undo restores the values the restore replaced, refusing rows
 * changed since.
 */
@ApplicationScoped
public class HistoryRestoreWorker extends BatchWorker {

    @Inject
    CatalogClient catalog;

    @Override
    public OperationType type() {
        return OperationType.HISTORY_RESTORE;
    }

    @Override
    public String codePrefix() {
        return "RST";
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.required("item_id", Kind.ID));
    }

    @Override
    public void checkParams(BatchParams params) {
        at(params);
    }

    private static long at(BatchParams params) {
        String at = params.text("at", null);
        if (at == null || at.isBlank()) {
            throw ApiProblem.missingField("params.at");
        }
        try {
            Instant t = Instant.parse(at.trim());
            if (t.isAfter(Instant.now())) {
                throw ApiProblem.invalidField("params.at", "must be in the past", at);
            }
            return t.toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.invalidField("params.at", "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z", at);
        }
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        long itemId = row.id("item_id");
        return new ParsedRow("item", itemId, payload(itemId, at(params)), Long.toString(itemId));
    }

    private static Map<String, Object> payload(long itemId, long at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", itemId);
        p.put("at", at);
        return p;
    }

    /** Without a file: params.itemIds, else every item of params.categoryIds (a merchant's own shop only). */
    @Override
    public List<ParsedRow> expand(BatchParams params, Actor creator) {
        long at = at(params);
        List<ParsedRow> rows = new ArrayList<>();
        List<Long> ids = params.longs("itemIds");
        if (!ids.isEmpty()) {
            ids.stream().distinct().forEach(id -> rows.add(new ParsedRow("item", id, payload(id, at), null)));
            return rows;
        }
        List<Long> categories = params.longs("categoryIds");
        if (categories.isEmpty()) {
            throw ApiProblem.missingField("file");
        }
        StreamItemsRequest.Builder req = StreamItemsRequest.newBuilder().setPageSize(2000).addAllCategoryIds(categories);
        Long shop = MerchantScope.shop(params, creator);
        if (shop != null) {
            req.setShopId(shop);
        }
        Iterator<ItemSnapshots> pages = catalog.streamItems(req.build());
        while (pages.hasNext()) {
            for (ItemSnapshot s : pages.next().getItemsList()) {
                rows.add(new ParsedRow("item", s.getItemId(), payload(s.getItemId(), at), null));
            }
        }
        if (rows.isEmpty()) {
            throw ApiProblem.badRequest("NO_MATCHING_ITEMS", "no item matches the filter").with("categoryIds", categories);
        }
        return rows;
    }

    /**
     * One RestoreItems call per chunk. A chunk claimed again after a crash is safe to send again:
     * the state at T rebuilt from history already includes the interrupted call's own changes.
     */
    @Override
    public ChunkResult apply(Chunk chunk) {
        RestoreItemsRequest.Builder r = RestoreItemsRequest.newBuilder().setBatchId(chunk.batchId()).setOperatorId(chunk.createdBy())
                .setReason(chunk.params().text("reason", "restore batch " + chunk.batchCode())).setDryRun(chunk.dryRun());
        for (ClaimedItem i : chunk.items()) {
            RestoreTarget.Builder t = RestoreTarget.newBuilder().setIndex(i.rowNo()).setItemId(i.targetId());
            Object values = i.payload().get("values");
            if (values != null) {
                t.setValuesJson(Json.write(values)).setExpectedJson(Json.write(i.payload().getOrDefault("expected", Map.of())));
            } else {
                t.setAtTimeMillis(((Number) i.payload().get("at")).longValue());
            }
            r.addTargets(t);
        }
        ItemResults results = catalog.restoreItems(r.build());
        List<ItemOutcome> out = new ArrayList<>();
        for (int k = 0; k < chunk.items().size(); k++) {
            ClaimedItem i = chunk.items().get(k);
            ItemResult x = k < results.getResultsCount() ? results.getResults(k) : null;
            if (x == null) {
                out.add(ItemOutcome.retry(i.rowNo(), "NO_RESULT", "the catalogue gave no result for this item"));
            } else if (x.getOk()) {
                out.add(ItemOutcome.succeeded(i.rowNo(), x.getBeforeJson(), x.getAfterJson()));
            } else if (x.getRetryable()) {
                out.add(ItemOutcome.retry(i.rowNo(), x.getErrorCode(), x.getErrorMessage()));
            } else {
                out.add(ItemOutcome.failed(i.rowNo(), x.getErrorCode(), x.getErrorField().isEmpty() ? null : x.getErrorField(),
                        x.getErrorMessage()));
            }
        }
        return ChunkResult.of(out);
    }

    @Override
    public boolean undoable() {
        return true;
    }

    /** Back to the values the restore replaced, where they are still what the restore left. */
    @Override
    public Map<String, Object> undoPayload(Map<String, Object> payload, String beforeJson, String afterJson) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", payload.get("item_id"));
        p.put("values", Json.map(beforeJson));
        p.put("expected", Json.map(afterJson));
        return p;
    }
}
