package dev.marketops.search.export;

import dev.marketops.platform.files.SafeCells;
import dev.marketops.search.projection.ItemProjection.SkuProjection;
import dev.marketops.search.query.SearchCriteria;
import dev.marketops.search.query.SearchCursor;
import dev.marketops.search.query.SearchFilter;
import dev.marketops.search.query.SearchService;
import dev.marketops.search.query.SearchService.ItemHit;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.function.LongConsumer;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The product list as an .xlsx, streamed: the search is walked page by page with searchAfter
 * and fastexcel flushes each page to the output (texts as inline strings, not a shared table),
 * so memory holds one page however many rows there are. Ids are text cells in Text-formatted columns (as numbers a spreadsheet rounds
 * 64-bit ids, and LibreOffice saves them back as floating point); every text goes through
 * {@link SafeCells}.
 */
@ApplicationScoped
public class ProductExport {

    /** What one export is: the checked filter, the requester's shop (merchants), the selection (or null) and columns. */
    public record Spec(SearchFilter filter, Long ownShop, Collection<Long> itemIds, List<ProductColumn> columns) {
    }

    /** The result would exceed the row limit: the job fails with this message instead of writing a partial file. */
    public static class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message);
        }
    }

    static final int PAGE = 500;
    /** An .xlsx sheet holds 1,048,576 rows, one of them the header. */
    public static final long MAX_SHEET_ROWS = 1_048_575;

    private final SearchService search;

    public ProductExport(SearchService search) {
        this.search = search;
    }

    /** Writes the sheet; answers the data rows written; {@code progress} hears the count after every page. */
    public long write(Spec spec, long maxRows, OutputStream out, LongConsumer progress) throws IOException {
        SearchCriteria base = spec.filter().criteria(spec.ownShop(), 0, 20);
        boolean perSku = spec.columns().stream().anyMatch(ProductColumn::perSku);
        Workbook wb = new Workbook(out, "marketops", "1.0");
        Worksheet ws = wb.newWorksheet("products");
        List<ProductColumn> cols = spec.columns();
        for (int c = 0; c < cols.size(); c++) {
            ws.value(0, c, cols.get(c).header());
            ws.style(0, c).bold().set();
            if (cols.get(c).cell() == ProductColumn.Cell.ID) {
                // a Text column keeps ids typed or pasted later exact too
                ws.style(c).format("@").set();
                ws.width(c, 22);
            }
        }
        long rows = 0;
        SearchCursor cursor = null;
        while (true) {
            SearchService.SearchPage page = search.exportPage(base.after(cursor, PAGE), spec.itemIds());
            if (cursor == null && !perSku && page.total() > maxRows) {
                throw new TooLarge("EXPORT_TOO_LARGE: the filter and selection match " + page.total() + " items; at most "
                        + maxRows + " rows may be exported at once: narrow the filter or select fewer items");
            }
            for (ItemHit item : page.items()) {
                if (perSku && !item.skus().isEmpty()) {
                    for (SkuProjection sku : item.skus()) {
                        row(ws, ++rows, cols, item, sku, maxRows);
                    }
                } else {
                    row(ws, ++rows, cols, item, null, maxRows);
                }
            }
            ws.flush();
            progress.accept(rows);
            if (page.nextCursor() == null) {
                break;
            }
            cursor = SearchCursor.decode(page.nextCursor(), base.sortSpec());
        }
        wb.finish();
        return rows;
    }

    private static void row(Worksheet ws, long row, List<ProductColumn> cols, ItemHit item, SkuProjection sku, long maxRows) {
        if (row > maxRows) {
            throw new TooLarge("EXPORT_TOO_LARGE: the export has more than " + maxRows + " rows" + (sku != null ? " (one per SKU)" : "")
                    + "; at most " + maxRows + " rows may be exported at once: narrow the filter or select fewer items");
        }
        int r = (int) row;
        for (int c = 0; c < cols.size(); c++) {
            ProductColumn col = cols.get(c);
            Object v = col.value(item, sku);
            if (v == null) {
                continue;
            }
            switch (col.cell()) {
                // inline strings: a shared-strings table would keep every title of the export in memory
                case ID -> ws.inlineString(r, c, v.toString());
                case TEXT -> ws.inlineString(r, c, SafeCells.text(v.toString()));
                case MONEY -> {
                    ws.value(r, c, (BigDecimal) v);
                    ws.style(r, c).format("0.00").set();
                }
                case INTEGER -> ws.value(r, c, (Number) v);
                case TIME -> ws.inlineString(r, c, ProductColumn.TIME.format(java.time.Instant.ofEpochMilli((Long) v)));
            }
        }
    }
}
