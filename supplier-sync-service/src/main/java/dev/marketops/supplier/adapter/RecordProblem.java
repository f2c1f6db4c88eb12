package dev.marketops.supplier.adapter;

/** Why one supplier record was refused: a stable reason code, the field, a message. Never stops the rest of a page. */
public class RecordProblem extends RuntimeException {

    private final String code;
    private final String field;

    public RecordProblem(String code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public static RecordProblem missing(String field) {
        return new RecordProblem("MISSING_FIELD", field, field + " is required");
    }

    public static RecordProblem invalid(String field, String why) {
        return new RecordProblem("INVALID_FIELD", field, field + " " + why);
    }
}
