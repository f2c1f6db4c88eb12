package dev.marketops.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/** Builds upload files in tests: an .xlsx through fastexcel (numbers as numbers, "=..." as a formula) or a CSV. */
final class Sheets {

    private Sheets() {
    }

    static byte[] xlsx(Object[]... rows) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Workbook wb = new Workbook(out, "test", "1.0");
            Worksheet ws = wb.newWorksheet("sheet");
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < rows[r].length; c++) {
                    Object v = rows[r][c];
                    if (v instanceof Number n) {
                        ws.value(r, c, n);
                    } else if (v instanceof String s && s.startsWith("=")) {
                        ws.formula(r, c, s.substring(1));
                    } else if (v != null) {
                        ws.value(r, c, v.toString());
                    }
                }
            }
            wb.finish();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] csv(String... lines) {
        return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
