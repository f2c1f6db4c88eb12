package dev.marketops.batch.report;

import dev.marketops.batch.Json;
import dev.marketops.batch.batch.OperationBatch;
import dev.marketops.batch.item.BatchItems;
import dev.marketops.platform.files.SafeCells;
import dev.marketops.platform.json.JsonIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The files a batch hands back, streamed from the items table (fastexcel writes and flushes
 * rows as they come, so 1,000,000 rows never sit in memory): the result file (every row with
 * its before, after, status and error) and the rejected-rows file (the failed rows exactly as
 * uploaded plus an error column, in the uploaded format, ready to fix and upload again).
 * Every text cell goes through {@link SafeCells#text}: uploaded cells and peers' messages may
 * start with = + - @ and would otherwise run as formulas when the file is opened.
 */
@ApplicationScoped
public class BatchFiles {

    static final int FLUSH_EVERY = 5_000;

    @Inject
    BatchItems items;
    @Inject
    dev.marketops.batch.metrics.BatchStages stages;

    public void writeResult(OperationBatch b, OutputStream out) throws IOException {
        long t0 = System.nanoTime();
        Workbook wb = new Workbook(out, "marketops", "1.0");
        Worksheet ws = wb.newWorksheet("result");
        String[] header = {"row", "target_type", "target_id", "status", "before", "after", "error_code", "error_field", "error"};
        for (int c = 0; c < header.length; c++) {
            ws.value(0, c, header[c]);
            ws.style(0, c).bold().set();
        }
        textIdColumns(ws, List.of(header));
        int[] r = {1};
        try {
            items.scan(b.batchId, b.createdAt, List.of(), 0, -1, i -> {
                int row = r[0]++;
                ws.value(row, 0, i.rowNo());
                text(ws, row, 1, i.targetType());
                if (i.targetId() != null) {
                    ws.value(row, 2, String.valueOf(i.targetId()));
                }
                text(ws, row, 3, i.status());
                text(ws, row, 4, i.beforeJson());
                text(ws, row, 5, i.afterJson());
                text(ws, row, 6, i.errorCode());
                text(ws, row, 7, i.errorField());
                text(ws, row, 8, i.errorMessage());
                flush(ws, row);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        wb.finish();
        stages.resultFile(b.batchId, b.operationType, r[0] - 1, System.nanoTime() - t0);
    }

    public void writeRejected(OperationBatch b, OutputStream out, boolean csv) throws IOException {
        List<String> header = new ArrayList<>(b.headerRow == null ? List.of() : b.headerRow);
        header.add("error");
        List<String> statuses = List.of("validation_failed", "failed");
        if (csv) {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write('\uFEFF'); // spreadsheet programs read UTF-8 CSV correctly only with a BOM
            csvLine(w, header);
            try {
                items.scan(b.batchId, b.createdAt, statuses, 0, -1, i -> {
                    try {
                        csvLine(w, cells(i, header.size()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.flush();
            return;
        }
        Workbook wb = new Workbook(out, "marketops", "1.0");
        Worksheet ws = wb.newWorksheet("rejected");
        for (int c = 0; c < header.size(); c++) {
            ws.value(0, c, SafeCells.text(header.get(c)));
        }
        textIdColumns(ws, header);
        int[] r = {1};
        try {
            items.scan(b.batchId, b.createdAt, statuses, 0, -1, i -> {
                int row = r[0]++;
                List<String> cells = cells(i, header.size());
                for (int c = 0; c < cells.size(); c++) {
                    if (!cells.get(c).isEmpty()) {
                        ws.value(row, c, safe(cells.get(c)));
                    }
                }
                flush(ws, row);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        wb.finish();
    }

    /** The uploaded cells as text (never a date or number conversion that could fail), then the reason. */
    private static List<String> cells(BatchItems.StoredItem i, int width) {
        List<String> out = new ArrayList<>();
        if (i.rowDataJson() != null) {
            try {
                for (var n : Json.MAPPER.readTree(i.rowDataJson())) {
                    out.add(n.isNull() ? "" : n.asText());
                }
            } catch (IOException e) {
                out.add(i.rowDataJson());
            }
        }
        while (out.size() < width - 1) {
            out.add("");
        }
        List<String> row = new ArrayList<>(out.subList(0, Math.max(0, width - 1)));
        row.add("row " + i.rowNo() + (i.errorField() == null ? "" : ", " + i.errorField()) + ": "
                + (i.errorCode() == null ? "" : i.errorCode() + " ") + (i.errorMessage() == null ? "" : i.errorMessage()));
        return row;
    }

    private static void csvLine(Writer w, List<String> cells) throws IOException {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                w.write(',');
            }
            String s = safe(cells.get(c));
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                w.write('"');
                w.write(s.replace("\"", "\"\""));
                w.write('"');
            } else {
                w.write(s);
            }
        }
        w.write("\r\n");
    }

    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("[+-]?\\d+(\\.\\d+)?");

    /**
     * An uploaded cell made safe: a plain number such as -10 (a price cut, a stock change) stays as
     * it is, since it cannot run as a formula and the rejected file must upload again unchanged;
     * any other text starting with = + - @ is escaped.
     */
    static String safe(String cell) {
        return cell == null || PLAIN_NUMBER.matcher(cell).matches() ? cell : SafeCells.text(cell);
    }

    /**
     * Ids are written as text cells, and their columns formatted as Text so an id typed or pasted
     * into the file stays text too: a number cell is a double and loses a snowflake's last digits.
     */
    static void textIdColumns(Worksheet ws, List<String> header) {
        for (int c = 0; c < header.size(); c++) {
            if (JsonIds.isIdName(header.get(c))) {
                ws.style(c).format("@").set();
            }
        }
    }

    private static void text(Worksheet ws, int row, int col, String s) {
        if (s != null) {
            ws.value(row, col, SafeCells.text(s));
        }
    }

    private static void flush(Worksheet ws, int row) {
        if (row % FLUSH_EVERY == 0) {
            try {
                ws.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
