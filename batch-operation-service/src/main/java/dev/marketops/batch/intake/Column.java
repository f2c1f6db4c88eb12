package dev.marketops.batch.intake;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A column an operation reads from its sheet: the header, the kind of value and whether a
 * row must have it. {@link #read} turns a cell's text into the typed value or says why not.
 */
public record Column(String header, Kind kind, boolean required, List<String> allowed) {

    public enum Kind { TEXT, ID, INTEGER, DECIMAL, DATE, ENUM }

    public static Column required(String header, Kind kind) {
        return new Column(header, kind, true, List.of());
    }

    public static Column optional(String header, Kind kind) {
        return new Column(header, kind, false, List.of());
    }

    public static Column oneOf(String header, boolean required, String... values) {
        return new Column(header, Kind.ENUM, required, List.of(values));
    }

    /**
     * The largest integer a spreadsheet's number (an IEEE double) holds exactly; our ids are
     * snowflakes far above it, so an id stored as a number has lost its last digits.
     */
    static final BigDecimal MAX_EXACT_NUMBER = BigDecimal.valueOf(1L << 53);

    /** The typed value of a cell, or a {@link RowError} naming this column. */
    public Object read(int rowNo, SheetCell cell) {
        if (kind == Kind.ID) {
            String t = cell.text().trim();
            // A number cell, or a number a spreadsheet wrote out in its own notation (1.2131E+17 in a CSV)
            if (cell.number() || t.indexOf('E') >= 0 || t.indexOf('e') >= 0) {
                notAnExactId(rowNo, t);
            }
        }
        return read(rowNo, cell.text());
    }

    private void notAnExactId(int rowNo, String t) {
        BigDecimal d;
        try {
            d = new BigDecimal(t);
        } catch (NumberFormatException e) {
            return; // not a number at all: read() says so
        }
        if (d.stripTrailingZeros().scale() > 0 || d.abs().compareTo(MAX_EXACT_NUMBER) > 0) {
            throw new RowError(rowNo, header, "ID_NOT_TEXT", "row " + rowNo + ", column " + header + ": the id "
                    + d.toPlainString() + " is stored as a number, which a spreadsheet keeps to 15-16 digits only, so it"
                    + " is not the exact id any more; format the column " + header + " as Text and enter (or paste) the ids again");
        }
    }

    /** The typed value of a cell's text, or a {@link RowError} naming this column. */
    public Object read(int rowNo, String text) {
        String t = text.trim();
        try {
            return switch (kind) {
                case TEXT -> t;
                case ID -> {
                    long v = new BigDecimal(t).longValueExact();
                    if (v <= 0) {
                        throw new RowError(rowNo, header, "INVALID_ID", "must be a positive id, was " + t);
                    }
                    yield v;
                }
                case INTEGER -> new BigDecimal(t).longValueExact();
                case DECIMAL -> new BigDecimal(t);
                case DATE -> date(t);
                case ENUM -> {
                    String v = t.toLowerCase();
                    if (!allowed.contains(v)) {
                        throw new RowError(rowNo, header, "INVALID_VALUE", "must be one of " + allowed + ", was " + t);
                    }
                    yield v;
                }
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RowError(rowNo, header, "NOT_A_NUMBER",
                    (kind == Kind.DECIMAL ? "must be a number" : "must be a whole number") + ", was \"" + t + "\"");
        } catch (DateTimeParseException e) {
            throw new RowError(rowNo, header, "NOT_A_DATE", "must be a date (YYYY-MM-DD), was \"" + t + "\"");
        }
    }

    /** ISO text, or an Excel serial day number (a date cell read without its format). */
    private static String date(String t) {
        if (t.matches("\\d{1,6}(\\.\\d+)?")) {
            return LocalDate.of(1899, 12, 30).plusDays((long) Double.parseDouble(t)).toString();
        }
        return LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t).toString();
    }
}
