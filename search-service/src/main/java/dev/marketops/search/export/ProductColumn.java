package dev.marketops.search.export;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.search.projection.ItemProjection.SkuProjection;
import dev.marketops.search.query.SearchService.ItemHit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The product grid's columns: the name the API and saved views use, the header an exported sheet
 * carries and how a cell is written. Headers are the batch templates' own (batch-operation-service
 * ops/*Worker.columns()), so an edited export uploads again as a batch: item_id and title for
 * item_edit; item_id, sku_id and value (the sale price, mode "set") for price_adjust; quantity for
 * inventory_update; target_status for status_change; tags for tag_batch_add. Columns no template
 * reads keep the catalogue's snake_case names. With skuId or skuCode the sheet has one row per SKU
 * (its price and stock); otherwise one row per item (its lowest price and total stock).
 */
public enum ProductColumn {
    ITEM_ID("itemId", "item_id", Cell.ID, (i, s) -> i.itemId()),
    SKU_ID("skuId", "sku_id", Cell.ID, (i, s) -> s == null ? null : s.skuId()),
    SKU_CODE("skuCode", "sku_code", Cell.TEXT, (i, s) -> s == null ? null : s.skuCode()),
    TITLE("title", "title", Cell.TEXT, (i, s) -> i.title()),
    CATEGORY_ID("categoryId", "category_id", Cell.ID, (i, s) -> i.categoryId()),
    SHOP_ID("shopId", "shop_id", Cell.ID, (i, s) -> i.shopId()),
    // status_change calls a deleted item's status "deleted"; the projections call it "removed"
    STATUS("status", "target_status", Cell.TEXT, (i, s) -> "removed".equals(i.status()) ? "deleted" : i.status()),
    SOURCE_TYPE("sourceType", "source_type", Cell.TEXT, (i, s) -> i.sourceType()),
    TAGS("tags", "tags", Cell.TEXT, (i, s) -> String.join(",", i.tags())),
    PRICE("price", "value", Cell.MONEY, (i, s) -> BigDecimal.valueOf(s == null ? i.priceCents() : s.priceCents(), 2)),
    FACE_VALUE("faceValue", "face_value", Cell.MONEY, (i, s) -> s != null ? BigDecimal.valueOf(s.faceValueCents(), 2)
            : i.faceValue() == null ? null : i.faceValue().setScale(2, RoundingMode.HALF_UP)),
    STOCK("stock", "quantity", Cell.INTEGER, (i, s) -> s == null ? i.stock() : s.stock()),
    VERSION("version", "version", Cell.INTEGER, (i, s) -> i.version()),
    CREATED_AT("createdAt", "created_at", Cell.TIME, (i, s) -> i.createdAt()),
    UPDATED_AT("updatedAt", "updated_at", Cell.TIME, (i, s) -> i.updatedAt());

    /** How a cell is written: ids as text (a spreadsheet rounds 64-bit numbers), money with 2 decimals, times as UTC text. */
    public enum Cell { ID, TEXT, MONEY, INTEGER, TIME }

    public static final int MAX_COLUMNS = 30;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final String apiName;
    private final String header;
    private final Cell cell;
    private final BiFunction<ItemHit, SkuProjection, Object> value;

    ProductColumn(String apiName, String header, Cell cell, BiFunction<ItemHit, SkuProjection, Object> value) {
        this.apiName = apiName;
        this.header = header;
        this.cell = cell;
        this.value = value;
    }

    public String apiName() {
        return apiName;
    }

    public String header() {
        return header;
    }

    public Cell cell() {
        return cell;
    }

    /** The cell's value for an item (and one of its SKUs in a per-SKU sheet, else null); null leaves the cell empty. */
    public Object value(ItemHit item, SkuProjection sku) {
        return value.apply(item, sku);
    }

    public boolean perSku() {
        return this == SKU_ID || this == SKU_CODE;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ProductColumn::apiName).toList();
    }

    /**
     * The columns named in a request, in its order: each known, none twice, at most
     * {@link #MAX_COLUMNS}; a refusal names the entry ({@code columns[2]}). Empty is refused when
     * {@code required} (an export of no columns), else answers an empty list (the grid's default).
     */
    public static List<ProductColumn> parse(List<String> names, String field, boolean required) {
        if (names == null || names.isEmpty()) {
            if (required) {
                throw ApiProblem.missingField(field).with("allowed", names());
            }
            return List.of();
        }
        if (names.size() > MAX_COLUMNS) {
            throw ApiProblem.invalidField(field, "at most " + MAX_COLUMNS + " columns", names.size());
        }
        Set<ProductColumn> out = new LinkedHashSet<>();
        for (int k = 0; k < names.size(); k++) {
            String n = names.get(k) == null ? "" : names.get(k).trim();
            String at = field + "[" + k + "]";
            ProductColumn c = Arrays.stream(values()).filter(v -> v.apiName.equals(n)).findFirst()
                    .orElseThrow(() -> new ApiProblem(400, "UNKNOWN_COLUMN", "Unknown column", at + ": no column " + n + "; one of " + names())
                            .with("field", at).with("value", n).with("allowed", names()));
            if (!out.add(c)) {
                throw ApiProblem.invalidField(field + "[" + k + "]", "column " + n + " is named twice", n);
            }
        }
        return new ArrayList<>(out);
    }
}
