package dev.marketops.batch.intake;

import dev.marketops.batch.Json;
import dev.marketops.batch.item.BatchItems;
import dev.marketops.batch.item.ItemStatus;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.platform.problem.ApiProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a sheet row by row and turns each into an item for the operation: the header row
 * names the columns; empty rows are passed over; every cell is checked against its column;
 * the operation checks the row as a whole. A bad row becomes a validation_failed item with
 * its row number, column and reason; nothing is applied before every row was read.
 */
public final class SheetParser {

    /** Header names are matched case-insensitively and without surrounding spaces. */
    static final String ERROR_COLUMN = "error";

    public record Result(List<String> header, int rows, int invalid, List<RowError> firstErrors) {
    }

    private final BatchWorker worker;
    private final BatchParams params;
    private final int maxRows;
    private final Consumer<BatchItems.NewItem> sink;

    private List<String> header;
    private Map<String, Integer> indexOf;
    private int rows;
    private int invalid;
    private final List<RowError> firstErrors = new ArrayList<>();

    public SheetParser(BatchWorker worker, BatchParams params, int maxRows, Consumer<BatchItems.NewItem> sink) {
        this.worker = worker;
        this.params = params;
        this.maxRows = maxRows;
        this.sink = sink;
    }

    /** The header as read so far (null before the first non-empty row). */
    public List<String> header() {
        return header;
    }

    public Result parse(Path file, SheetReader.Format format) throws IOException {
        SheetReader.read(file, format, this::row);
        if (header == null) {
            throw ApiProblem.badRequest("EMPTY_FILE", "the file has no header row and no data");
        }
        if (rows == 0) {
            throw ApiProblem.badRequest("NO_DATA_ROWS", "the file has a header row but no data rows");
        }
        return new Result(header, rows, invalid, firstErrors);
    }

    private void row(int rowNo, List<SheetCell> cells) {
        if (cells.stream().allMatch(SheetCell::isBlank)) {
            return;
        }
        if (header == null) {
            readHeader(cells);
            return;
        }
        if (++rows > maxRows) {
            throw ApiProblem.badRequest("TOO_MANY_ROWS", "a " + worker.type().name().toLowerCase()
                    + " file may have at most " + maxRows + " data rows").with("maxRows", maxRows);
        }
        List<String> raw = new ArrayList<>(cells.size());
        for (SheetCell c : cells) {
            raw.add(c.text() == null ? (c.formula() == null ? "" : "=" + c.formula()) : c.text());
        }
        String rowData = Json.write(raw);
        try {
            RowValues values = values(rowNo, cells);
            ParsedRow parsed = worker.parse(values, params);
            sink.accept(new BatchItems.NewItem(rowNo, parsed.targetType(), parsed.targetId() == 0 ? null : parsed.targetId(),
                    parsed.dedupeKey(), Json.write(parsed.payload()), rowData, ItemStatus.PENDING.wire(), null, null, null));
        } catch (RowError e) {
            invalid++;
            if (firstErrors.size() < 100) {
                firstErrors.add(e);
            }
            sink.accept(new BatchItems.NewItem(rowNo, "row", null, null, null, rowData,
                    ItemStatus.VALIDATION_FAILED.wire(), e.code(), e.column(), e.getMessage()));
        }
    }

    private void readHeader(List<SheetCell> cells) {
        header = new ArrayList<>();
        indexOf = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String h = cells.get(i).text() == null ? "" : cells.get(i).text().trim().toLowerCase();
            header.add(h);
            if (!h.isEmpty()) {
                indexOf.putIfAbsent(h, i);
            }
        }
        List<String> missing = new ArrayList<>();
        for (Column col : worker.columns()) {
            if (col.required() && !indexOf.containsKey(col.header())) {
                missing.add(col.header());
            }
        }
        if (!missing.isEmpty()) {
            throw ApiProblem.badRequest("BAD_HEADER", "the header row lacks the column(s) " + missing
                    + "; a " + worker.type().name().toLowerCase() + " sheet has "
                    + worker.columns().stream().map(c -> c.header() + (c.required() ? "*" : "")).toList())
                    .with("missing", missing).with("found", header);
        }
    }

    private RowValues values(int rowNo, List<SheetCell> cells) {
        RowValues v = new RowValues(rowNo);
        Map<String, Boolean> declared = new LinkedHashMap<>();
        for (Column col : worker.columns()) {
            declared.put(col.header(), true);
            Integer idx = indexOf.get(col.header());
            SheetCell cell = idx == null || idx >= cells.size() ? SheetCell.EMPTY : cells.get(idx);
            check(rowNo, col.header(), cell);
            if (cell.isBlank()) {
                if (col.required()) {
                    throw new RowError(rowNo, col.header(), "MISSING_VALUE", "a value is required");
                }
                continue;
            }
            v.values().put(col.header(), col.read(rowNo, cell));
        }
        if (worker.openColumns()) {
            for (Map.Entry<String, Integer> e : indexOf.entrySet()) {
                if (declared.containsKey(e.getKey()) || ERROR_COLUMN.equals(e.getKey()) || e.getValue() >= cells.size()) {
                    continue;
                }
                SheetCell cell = cells.get(e.getValue());
                check(rowNo, e.getKey(), cell);
                if (!cell.isBlank()) {
                    v.extra().put(e.getKey(), cell.text().trim());
                }
            }
        }
        return v;
    }

    private static void check(int rowNo, String column, SheetCell cell) {
        if (cell.unevaluatedFormula()) {
            throw new RowError(rowNo, column, "FORMULA_NOT_EVALUATED", "the cell holds the formula =" + cell.formula()
                    + " saved without its value; open and save the file in a spreadsheet program, or paste values");
        }
        if (cell.error()) {
            throw new RowError(rowNo, column, "CELL_ERROR", "the cell holds the spreadsheet error " + cell.text());
        }
    }
}
