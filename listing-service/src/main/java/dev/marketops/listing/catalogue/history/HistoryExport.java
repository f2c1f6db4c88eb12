package dev.marketops.listing.catalogue.history;

import dev.marketops.platform.files.SafeCells;
import dev.marketops.platform.json.JsonIds;
import dev.marketops.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * History as an .xlsx, streamed: rows come from a database cursor and fastexcel flushes them to
 * the response every few hundred rows, so memory stays flat however many rows there are. Ids
 * are text cells (64-bit ids lose digits as spreadsheet numbers); every text goes through
 * {@link SafeCells}; sensitive fields are masked as in reads.
 */
@ApplicationScoped
public class HistoryExport {

    static final String[] HEADERS = {"product_id", "version", "change_type", "changed_fields", "old_value", "new_value", "reason",
        "operator_id", "operator_name", "operator_role", "ip_address", "device_info", "change_time", "task_id", "batch_id",
        "batch_row", "supplier_id", "supplier_message_id", "saga_id", "request_id"};
    private static final int FLUSH_EVERY = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final HistoryReads reads;
    private final HistoryProtection protection;

    public HistoryExport(HistoryReads reads, HistoryProtection protection) {
        this.reads = reads;
        this.protection = protection;
    }

    /** Writes the matching rows newest first; answers how many. The export is logged with its row count. */
    public long write(HistoryFilter f, Actor who, OutputStream out) throws IOException {
        return write(f, who, out, rows -> { });
    }

    /** As {@link #write(HistoryFilter, Actor, OutputStream)}, telling {@code progress} the rows written at every flush. */
    public long write(HistoryFilter f, Actor who, OutputStream out, java.util.function.LongConsumer progress) throws IOException {
        Workbook wb = new Workbook(out, "marketops", "1.0");
        Worksheet ws = wb.newWorksheet("history");
        for (int c = 0; c < HEADERS.length; c++) {
            ws.value(0, c, HEADERS[c]);
            if (JsonIds.isIdName(HEADERS[c])) {
                // ids are text cells in a Text column: as numbers a spreadsheet would round them
                ws.style(c).format("@").set();
            }
        }
        long[] row = {0};
        reads.scan(f, null, 0, e -> {
            HistoryEntry m = protection.forCaller(e, who);
            int r = (int) ++row[0];
            List<String> fields = new ArrayList<>();
            m.oldValue().fieldNames().forEachRemaining(fields::add);
            int c = 0;
            text(ws, r, c++, m.productId());
            ws.value(r, c++, m.versionNumber());
            text(ws, r, c++, m.changeType());
            text(ws, r, c++, String.join(", ", fields));
            text(ws, r, c++, m.oldValue().toString());
            text(ws, r, c++, m.newValue().toString());
            text(ws, r, c++, m.changeReason());
            text(ws, r, c++, m.operatorId());
            text(ws, r, c++, m.operatorName());
            text(ws, r, c++, m.operatorRole());
            text(ws, r, c++, m.ipAddress());
            text(ws, r, c++, m.deviceInfo());
            text(ws, r, c++, TIME.format(m.changeTime()));
            text(ws, r, c++, m.cause().taskId());
            text(ws, r, c++, m.cause().batchId());
            if (m.cause().batchRow() != null) {
                ws.value(r, c, m.cause().batchRow());
            }
            c++;
            text(ws, r, c++, m.cause().supplierId());
            text(ws, r, c++, m.cause().supplierMessageId());
            text(ws, r, c++, m.cause().sagaId());
            text(ws, r, c, m.cause().requestId());
            if (r % FLUSH_EVERY == 0) {
                try {
                    ws.flush();
                    progress.accept(r);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }
        });
        wb.finish();
        Map<String, Object> filter = f.describe();
        protection.log("export", who, filter, (int) Math.min(Integer.MAX_VALUE, row[0]));
        return row[0];
    }

    private static void text(Worksheet ws, int row, int col, String s) {
        if (s != null) {
            ws.value(row, col, SafeCells.text(s));
        }
    }
}
