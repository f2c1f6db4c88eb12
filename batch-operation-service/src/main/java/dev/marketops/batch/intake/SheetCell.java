package dev.marketops.batch.intake;

/**
 * One cell as read from a sheet: its text (numbers in plain notation), and for a formula the
 * formula itself. A formula saved with its computed value (every desktop spreadsheet does)
 * is read as that value; one saved without it has {@code text == null}. {@code number} says the
 * sheet stored the cell as a number (a double, so an id in it may have lost its last digits).
 */
public record SheetCell(String text, String formula, boolean error, boolean number) {

    public static final SheetCell EMPTY = new SheetCell("", null, false);

    /**
     * The platform's own files write a text that a spreadsheet would run as a formula with an
     * apostrophe in front (platform SafeCells: "'=1+1"); read back, that apostrophe is taken off
     * again, as a spreadsheet does for the quote prefix a user types, so an exported title
     * "=Top deal" uploaded again stays "=Top deal" rather than gaining an apostrophe each round.
     */
    public SheetCell {
        if (!number && formula == null && text != null && text.length() > 1 && text.charAt(0) == '\'') {
            char c = text.charAt(1);
            if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
                text = text.substring(1);
            }
        }
    }

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
