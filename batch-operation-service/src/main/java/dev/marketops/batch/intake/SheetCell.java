package dev.marketops.batch.intake;

/**
 * One cell as read from a sheet: its text (numbers in plain notation), and for a formula the
 * formula itself. A formula saved with its computed value (every desktop spreadsheet does)
 * is read as that value; one saved without it has {@code text == null}. {@code number} says the
 * sheet stored the cell as a number (a double, so an id in it may have lost its last digits).
 */
public record SheetCell(String text, String formula, boolean error, boolean number) {

    public static final SheetCell EMPTY = new SheetCell("", null, false);

    public SheetCell(String text, String formula, boolean error) {
        this(text, formula, error, false);
    }

    public boolean isBlank() {
        return formula == null && (text == null || text.isBlank());
    }

    public boolean unevaluatedFormula() {
        return formula != null && (text == null || text.isEmpty());
    }
}
