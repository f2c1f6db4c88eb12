package dev.marketops.batch.intake;

import dev.marketops.platform.problem.ApiProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;

/**
 * Streams the rows of an uploaded .xlsx (first sheet, fastexcel-reader: one row in memory at
 * a time) or .csv (RFC 4180, UTF-8, optional BOM). Rows are numbered as the sheet shows them
 * (1 = header), so errors point at the row an operator sees.
 */
public final class SheetReader {

    public enum Format { XLSX, CSV }

    @FunctionalInterface
    public interface RowHandler {
        void row(int rowNo, List<SheetCell> cells);
    }

    private SheetReader() {
    }

    public static Format formatOf(String fileName) {
        String n = fileName == null ? "" : fileName.toLowerCase();
        if (n.endsWith(".xlsx")) {
            return Format.XLSX;
        }
        if (n.endsWith(".csv") || n.endsWith(".txt")) {
            return Format.CSV;
        }
        throw ApiProblem.badRequest("UNSUPPORTED_FILE_TYPE", "upload an .xlsx or a .csv file, not " + fileName)
                .with("fileName", fileName);
    }

    /** Refuses a file whose first bytes are not a zip (OOXML) although it is named .xlsx. */
    public static void checkSignature(Path file, Format format) throws IOException {
        if (format != Format.XLSX) {
            return;
        }
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < 4 || !ReadableWorkbook.isOOXMLZipHeader(head)) {
                throw ApiProblem.badRequest("NOT_AN_XLSX", ReadableWorkbook.isOLE2Header(head)
                        ? "the file is an old binary .xls workbook; save it as .xlsx (Excel Workbook) and upload again"
                        : "the file is named .xlsx but is not an Excel workbook");
            }
        }
    }

    public static void read(Path file, Format format, RowHandler handler) throws IOException {
        if (format == Format.XLSX) {
            readXlsx(file, handler);
        } else {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                readCsv(r, handler);
            }
        }
    }

    private static void readXlsx(Path file, RowHandler handler) throws IOException {
        try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile()); Stream<Row> rows = wb.getFirstSheet().openStream()) {
            rows.forEach(row -> {
                List<SheetCell> cells = new ArrayList<>(row.getCellCount());
                for (int i = 0; i < row.getCellCount(); i++) {
                    cells.add(cell(row.getCell(i)));
                }
                handler.row(row.getRowNum(), cells);
            });
        } catch (org.dhatim.fastexcel.reader.ExcelReaderException | java.io.UncheckedIOException e) {
            throw ApiProblem.badRequest("NOT_AN_XLSX", "the workbook cannot be read: " + e.getMessage());
        }
    }

    private static SheetCell cell(Cell c) {
        if (c == null || c.getType() == CellType.EMPTY) {
            return SheetCell.EMPTY;
        }
        return switch (c.getType()) {
            case NUMBER -> new SheetCell(plain(c.getRawValue()), null, false, true);
            case FORMULA -> new SheetCell(c.getRawValue() == null ? null : plain(c.getRawValue()), c.getFormula(), false);
            case ERROR -> new SheetCell(c.getRawValue(), null, true);
            case BOOLEAN -> new SheetCell(String.valueOf(c.asBoolean()), null, false);
            default -> new SheetCell(c.getText(), null, false);
        };
    }

    /** "1.2E7" and "12.50" as a person would type them: "12000000", "12.5". */
    static String plain(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(raw.trim());
            String s = d.stripTrailingZeros().toPlainString();
            return s;
        } catch (NumberFormatException e) {
            return raw;
        }
    }

    static void readCsv(Reader in, RowHandler handler) throws IOException {
        StringBuilder field = new StringBuilder();
        List<SheetCell> cells = new ArrayList<>();
        int rowNo = 1;
        boolean quoted = false;
        boolean first = true;
        boolean any = false;
        int ch;
        while ((ch = in.read()) != -1) {
            char c = (char) ch;
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next != -1) {
                            in.reset();
                        }
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                cells.add(new SheetCell(field.toString(), null, false));
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                cells.add(new SheetCell(field.toString(), null, false));
                field.setLength(0);
                handler.row(rowNo++, cells);
                cells = new ArrayList<>();
                any = false;
            } else {
                field.append(c);
            }
        }
        if (any || !field.isEmpty() || !cells.isEmpty()) {
            cells.add(new SheetCell(field.toString(), null, false));
            handler.row(rowNo, cells);
        }
    }
}
