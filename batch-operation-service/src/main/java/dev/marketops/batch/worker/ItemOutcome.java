package dev.marketops.batch.worker;

/** What happened to one item of a chunk. */
public record ItemOutcome(int rowNo, Kind kind, Long targetId, String beforeJson, String afterJson,
                          String errorCode, String errorField, String errorMessage) {

    public enum Kind {
        SUCCEEDED,
        FAILED,
        /** A transient failure: tried again later until the attempts run out. */
        RETRY,
        /** Handed on and finished by a later event (listing upload: the task going ONLINE). */
        AWAITING
    }

    public static ItemOutcome succeeded(int rowNo, String before, String after) {
        return new ItemOutcome(rowNo, Kind.SUCCEEDED, null, before, after, null, null, null);
    }

    public static ItemOutcome failed(int rowNo, String code, String field, String message) {
        return new ItemOutcome(rowNo, Kind.FAILED, null, null, null, code, field, message);
    }

    public static ItemOutcome retry(int rowNo, String code, String message) {
        return new ItemOutcome(rowNo, Kind.RETRY, null, null, null, code, null, message);
    }

    public ItemOutcome withTarget(long id) {
        return new ItemOutcome(rowNo, kind, id, beforeJson, afterJson, errorCode, errorField, errorMessage);
    }

    public ItemOutcome withBefore(String before) {
        return new ItemOutcome(rowNo, kind, targetId, before, afterJson, errorCode, errorField, errorMessage);
    }
}
