package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Permission;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.catalog.StreamItemsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * price_adjust: set a price, add or subtract an amount (yuan, 2 decimals) or a percentage,
 * per row of a sheet or for every item of some categories. The catalogue guards prices
 * (no price <= 0, sale <= face value) and refuses a change beyond the configured percentage
 * unless the batch was confirmed (params.confirm=true).
 */
@ApplicationScoped
public class PriceAdjustWorker extends CatalogueItemWorker {

    static final List<String> MODES = List.of("set", "add", "percent");
    /** Price models whose snapshot shows the lowest upcoming dated price, not the base price changed. */
    static final List<String> DATED_MODELS = List.of("calendar", "session");

    @ConfigProperty(name = "marketops.batch.max-change-percent", defaultValue = "50")
    int maxChangePercent;

    @Override
    public OperationType type() {
        return OperationType.PRICE_ADJUST;
    }

    @Override
    public String codePrefix() {
        return "PRICE";
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.required("item_id", Kind.ID), Column.optional("sku_id", Kind.ID),
                Column.oneOf("mode", false, "set", "add", "percent"), Column.required("value", Kind.DECIMAL),
                Column.oneOf("field", false, "sale_price", "face_value"), Column.optional("price_date", Kind.DATE));
    }

    @Override
    public void checkParams(BatchParams p) {
        String mode = p.text("mode", "set");
        if (!MODES.contains(mode)) {
            throw ApiProblem.invalidField("params.mode", "must be one of " + MODES, mode);
        }
    }

    /**
     * params.maxChangePercent may tighten the server's guard (marketops.batch.max-change-percent),
     * not loosen it: a larger value (or 0, which the catalogue reads as "no limit") needs
     * PRICE_GUARD_OVERRIDE. Refused at upload, before any row is read.
     */
    @Override
    public void checkParams(BatchParams p, Actor creator) {
        checkParams(p);
        Long asked = p.longOrNull("maxChangePercent");
        if (asked == null) {
            return;
        }
        if (asked < 0) {
            throw ApiProblem.invalidField("params.maxChangePercent", "must be 0 or more", asked);
        }
        boolean looser = asked == 0 || asked > maxChangePercent;
        if (looser && !creator.has(Permission.PRICE_GUARD_OVERRIDE)) {
            throw new ApiProblem(403, "PRICE_GUARD_OVERRIDE_REQUIRED", "Forbidden", "params.maxChangePercent " + asked
                    + (asked == 0 ? " (no limit)" : "") + " is looser than the server's guard of " + maxChangePercent
                    + "%; only roles with " + Permission.PRICE_GUARD_OVERRIDE.key() + " may loosen it")
                    .with("field", "params.maxChangePercent").with("value", asked).with("guard", maxChangePercent);
        }
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        long itemId = row.id("item_id");
        long skuId = row.has("sku_id") ? row.id("sku_id") : 0;
        String mode = row.text("mode", params.text("mode", "set"));
        String field = row.text("field", "sale_price");
        String date = row.text("price_date", "");
        long value = amount(row.rowNo(), mode, row.decimal("value"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", itemId);
        p.put("sku_id", skuId);
        p.put("field", field);
        p.put("mode", mode);
        p.put("value", value);
        p.put("price_date", date);
        return new ParsedRow("item", itemId, p, itemId + ":" + skuId + ":" + field + ":" + date);
    }

    /** Cents for set/add, basis points for percent; a set price must be positive. */
    static long amount(int rowNo, String mode, BigDecimal v) {
        BigDecimal scaled = v.movePointRight(2);
        if (scaled.stripTrailingZeros().scale() > 0) {
            throw new dev.marketops.batch.intake.RowError(rowNo, "value", "INVALID_VALUE",
                    "at most 2 decimals (" + ("percent".equals(mode) ? "percent" : "yuan") + "), was " + v.toPlainString());
        }
        long n = scaled.longValueExact();
        if ("set".equals(mode) && n <= 0) {
            throw new dev.marketops.batch.intake.RowError(rowNo, "value", "PRICE_NOT_POSITIVE", "a price must be above 0");
        }
        if ("percent".equals(mode) && n <= -10_000) {
            throw new dev.marketops.batch.intake.RowError(rowNo, "value", "PRICE_NOT_POSITIVE", "a cut of 100% or more leaves no price");
        }
        return n;
    }

    /** Without a file: every item of params.categoryIds (and params.shopId; a merchant's own shop always), one row each. */
    @Override
    public List<ParsedRow> expand(BatchParams params, Actor creator) {
        List<Long> categories = params.longs("categoryIds");
        if (categories.isEmpty()) {
            throw ApiProblem.missingField("file");
        }
        String mode = params.text("mode", "set");
        BigDecimal v;
        try {
            v = new BigDecimal(params.requireText("value"));
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField("params.value", "must be a number", params.text("value", ""));
        }
        long value = amount(0, mode, v);
        List<ParsedRow> rows = new ArrayList<>();
        StreamItemsRequest.Builder req = StreamItemsRequest.newBuilder().setPageSize(2000).addAllCategoryIds(categories);
        Long shop = MerchantScope.shop(params, creator);
        if (shop != null) {
            req.setShopId(shop);
        }
        Iterator<ItemSnapshots> pages = catalog.streamItems(req.build());
        while (pages.hasNext()) {
            for (ItemSnapshot s : pages.next().getItemsList()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("item_id", s.getItemId());
                p.put("sku_id", 0L);
                p.put("field", "sale_price");
                p.put("mode", mode);
                p.put("value", value);
                p.put("price_date", "");
                rows.add(new ParsedRow("item", s.getItemId(), p, null));
            }
        }
        if (rows.isEmpty()) {
            throw ApiProblem.badRequest("NO_MATCHING_ITEMS", "no item matches the filter").with("categoryIds", categories);
        }
        return rows;
    }

    @Override
    protected ItemResults call(Chunk chunk, List<ClaimedItem> items, Map<Long, ItemSnapshot> current) {
        AdjustPricesRequest.Builder r = AdjustPricesRequest.newBuilder().setBatchId(chunk.batchId())
                .setOperatorId(chunk.createdBy()).setReason(chunk.params().text("reason", "batch " + chunk.batchCode()))
                .setMaxChangeBp(chunk.params().has("maxChangePercent")
                        ? (int) (chunk.params().longOrNull("maxChangePercent") * 100) : maxChangePercent * 100)
                .setConfirmed(chunk.params().flag("confirm")).setDryRun(chunk.dryRun());
        List<Integer> owner = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            ClaimedItem i = items.get(k);
            for (Map<String, Object> ch : changes(i.payload())) {
                PriceChange.Builder pc = PriceChange.newBuilder().setIndex(i.rowNo()).setItemId(i.targetId())
                        .setSkuId(num(ch.get("sku_id"))).setField((String) ch.get("field")).setMode((String) ch.get("mode"))
                        .setValue(num(ch.get("value"))).setPriceDate(String.valueOf(ch.getOrDefault("price_date", "")));
                if (Boolean.TRUE.equals(ch.get("has_expected"))) {
                    pc.setHasExpected(true).setExpectedCents(num(ch.get("expected")));
                }
                r.addChanges(pc);
                owner.add(k);
            }
        }
        return fold(items, owner, catalog.adjustPrices(r.build()));
    }

    @Override
    protected String project(ItemSnapshot item, Map<String, Object> payload) {
        return skus(item, payload, s -> Map.of("sku_id", s.getSkuId(), "sale_price_cents", s.getSalePriceCents(),
                "face_value_cents", s.getFaceValueCents()));
    }

    /**
     * The catalogue's reply names the new cents of each SKU changed ({"field", "prices": [{sku_id,
     * cents}]}); the other price of a SKU is as before. A dated price moves the SKU's lowest upcoming
     * price in ways only a read shows (calendar and session items show that one as their price), and
     * an undo row holds several changes: those are read again.
     */
    @Override
    protected String projectAfter(ItemSnapshot item, ItemResult result, Map<String, Object> payload) {
        List<Map<String, Object>> changes = changes(payload);
        if (changes.size() != 1 || !String.valueOf(changes.get(0).getOrDefault("price_date", "")).isEmpty()
                || result.getAfterJson().isEmpty() || DATED_MODELS.contains(item.getPriceModel())) {
            return null;
        }
        Map<String, Object> reply;
        try {
            reply = Json.map(result.getAfterJson());
        } catch (RuntimeException e) {
            return null;
        }
        String field = String.valueOf(reply.get("field"));
        if (!(reply.get("prices") instanceof List<?> prices) || !field.equals(changes.get(0).getOrDefault("field", "sale_price"))
                || !(field.equals("sale_price") || field.equals("face_value"))) {
            return null;
        }
        Map<Long, Long> cents = new java.util.HashMap<>();
        for (Object o : prices) {
            if (!(o instanceof Map<?, ?> p) || p.get("price_date") != null || !(p.get("sku_id") instanceof Number sku)
                    || !(p.get("cents") instanceof Number c)) {
                return null;
            }
            cents.put(sku.longValue(), c.longValue());
        }
        long sku = num(payload.get("sku_id"));
        int shown = 0;
        List<Map<String, Object>> skus = new ArrayList<>();
        for (dev.marketops.proto.catalog.Sku s : item.getSkusList()) {
            if (sku == 0 || s.getSkuId() == sku) {
                Long now = cents.get(s.getSkuId());
                if (now == null || s.getCalendarCount() > 0) {
                    return null; // a SKU the reply does not name: read it
                }
                shown++;
                skus.add(Map.of("sku_id", s.getSkuId(), "sale_price_cents", field.equals("sale_price") ? now : s.getSalePriceCents(),
                        "face_value_cents", field.equals("face_value") ? now : s.getFaceValueCents()));
            }
        }
        return shown == cents.size() ? Json.write(Map.of("skus", skus)) : null;
    }

    @Override
    public boolean undoable() {
        return true;
    }

    /** Each SKU back to its price before, refused (CONFLICT) where the price is no longer the one this batch set. */
    @Override
    public Map<String, Object> undoPayload(Map<String, Object> payload, String beforeJson, String afterJson) {
        String field = String.valueOf(payload.getOrDefault("field", "sale_price"));
        return undoPerSku(payload, beforeJson, afterJson, "face_value".equals(field) ? "face_value_cents" : "sale_price_cents",
                (ch, before) -> {
                    ch.put("field", field);
                    ch.put("mode", "set");
                    ch.put("value", before);
                    ch.put("price_date", payload.getOrDefault("price_date", ""));
                });
    }
}
