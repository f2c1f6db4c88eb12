package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ChunkResult;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.batch.worker.ItemOutcome;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Permission;
import dev.marketops.proto.catalog.ChangeShopStatusReply;
import dev.marketops.proto.catalog.ChangeShopStatusRequest;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.StreamItemsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * status_change (seed 004): goods online / offline / deleted / risk_control, by goods ids
 * (ChangeStatus per target status) or for a whole shop (params.shopId, no file:
 * ChangeShopStatus, which the catalogue expands into goods chunks itself).
 */
@ApplicationScoped
public class StatusChangeWorker extends CatalogueItemWorker {

    static final String[] STATUSES = {"online", "offline", "deleted", "risk_control"};

    @Override
    public OperationType type() {
        return OperationType.STATUS_CHANGE;
    }

    @Override
    public String codePrefix() {
        return "STATUS";
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.required("item_id", Kind.ID), Column.oneOf("target_status", false, STATUSES),
                Column.optional("reason", Kind.TEXT));
    }

    @Override
    public void checkParams(BatchParams p) {
        String s = p.text("targetStatus", null);
        if (s != null && !List.of(STATUSES).contains(s)) {
            throw ApiProblem.invalidField("params.targetStatus", "must be one of " + List.of(STATUSES), s);
        }
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        long itemId = row.id("item_id");
        String target = row.text("target_status", params.text("targetStatus", null));
        if (target == null) {
            throw row.error("target_status", "MISSING_VALUE", "no target_status in the row and none in params.targetStatus");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", itemId);
        p.put("target_status", target);
        p.put("reason", row.text("reason", params.text("reason", "")));
        return new ParsedRow("item", itemId, p, Long.toString(itemId));
    }

    /** A whole shop at once is SHOP_STATUS (not a merchant's right): checked here, since the batch runs later. */
    @Override
    public List<ParsedRow> expand(BatchParams params, Actor creator) {
        Long shop = params.longOrNull("shopId");
        if (shop == null) {
            throw ApiProblem.missingField("file");
        }
        if (!creator.has(Permission.SHOP_STATUS)) {
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "taking a whole shop offline or online needs "
                    + Permission.SHOP_STATUS.key() + "; list the goods in a file instead").with("field", "params.shopId");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("shop_id", shop);
        p.put("target_status", params.requireText("targetStatus"));
        p.put("reason", params.text("reason", ""));
        return List.of(new ParsedRow("shop", shop, p, null));
    }

    /** A whole shop is one row but all its goods: counted (not deleted ones) so the caller confirms the real size. */
    @Override
    public long selectedCount(BatchParams params, List<ParsedRow> rows) {
        if (rows.size() != 1 || !"shop".equals(rows.get(0).targetType())) {
            return rows.size();
        }
        long n = 0;
        var pages = catalog.streamItems(StreamItemsRequest.newBuilder().setPageSize(2000).setShopId(rows.get(0).targetId()).build());
        while (pages.hasNext()) {
            n += pages.next().getItemsCount();
        }
        return n;
    }

    @Override
    public ChunkResult apply(Chunk chunk) {
        if (chunk.items().stream().noneMatch(i -> i.payload().containsKey("shop_id"))) {
            return super.apply(chunk);
        }
        List<ItemOutcome> out = new ArrayList<>();
        for (ClaimedItem i : chunk.items()) {
            if (chunk.dryRun()) {
                out.add(ItemOutcome.succeeded(i.rowNo(), null, Json.write(Map.of("target_status", i.payload().get("target_status")))));
                continue;
            }
            // The request id makes a repeated call (after a crash) an accepted replay, not a second request.
            ChangeShopStatusReply reply = catalog.changeShopStatus(ChangeShopStatusRequest.newBuilder()
                    .setShopId(i.targetId()).setTargetStatus((String) i.payload().get("target_status"))
                    .setOperatorType(chunk.operatorType()).setOperatorId(chunk.createdBy())
                    .setReason(String.valueOf(i.payload().get("reason"))).setRequestId(chunk.batchCode() + ":" + i.rowNo()).build());
            out.add(ItemOutcome.succeeded(i.rowNo(), null, Json.write(Map.of("request_id", reply.getRequestId(),
                    "goods_count", reply.getGoodsCount(), "target_status", i.payload().get("target_status")))));
        }
        return ChunkResult.of(out);
    }

    @Override
    protected ItemResults call(Chunk chunk, List<ClaimedItem> items, Map<Long, ItemSnapshot> current) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        ItemResult[] per = new ItemResult[items.size()];
        for (int k = 0; k < items.size(); k++) {
            ClaimedItem i = items.get(k);
            Object expected = i.payload().get("expected_status");
            // Undo: ChangeStatus carries no expected value, so the conflict check is made here on the fresh read.
            if (expected != null && !expected.equals(current.get(i.targetId()).getStatus())) {
                per[k] = refused(i.targetId(), "CONFLICT", "the status changed since the batch (now "
                        + current.get(i.targetId()).getStatus() + ", the batch left " + expected + ")");
                continue;
            }
            groups.computeIfAbsent((String) i.payload().get("target_status"), s -> new ArrayList<>()).add(k);
        }
        return callPerGroup(items, per, groups, (target, ids) -> catalog.changeStatus(ChangeStatusRequest.newBuilder()
                .setTargetStatus(target).setOperatorType(chunk.operatorType()).setOperatorId(chunk.createdBy())
                .setReason(chunk.params().text("reason", "batch " + chunk.batchCode()))
                .setRequestId(chunk.batchCode()).setDryRun(chunk.dryRun()).addAllItemIds(ids).build()));
    }

    @Override
    protected String project(ItemSnapshot item, Map<String, Object> payload) {
        return Json.write(Map.of("status", item.getStatus()));
    }

    @Override
    public boolean undoable() {
        return true;
    }

    @Override
    public Map<String, Object> undoPayload(Map<String, Object> payload, String beforeJson, String afterJson) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", payload.get("item_id"));
        p.put("target_status", Json.map(beforeJson).get("status"));
        p.put("expected_status", Json.map(afterJson).get("status"));
        p.put("reason", "undo");
        return p;
    }
}
