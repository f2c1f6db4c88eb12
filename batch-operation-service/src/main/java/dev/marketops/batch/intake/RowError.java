package dev.marketops.batch.intake;

/** Why one row cannot be applied: its row number, the column and a stable code. */
public class RowError extends RuntimeException {

    private final int rowNo;
    private final String column;
    private final String code;

    public RowError(int rowNo, String column, String code, String message) {
        super(message, null, false, false);
        this.rowNo = rowNo;
        this.column = column;
        this.code = code;
    }

    public int rowNo() {
        return rowNo;
    }

    public String column() {
        return column;
    }

    public String code() {
        return code;
    }
}
