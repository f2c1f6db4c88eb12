package dev.marketops.supplier.sync;

/** What became of one update: created / updated / pending / ignored, or rejected with a stable reason code. */
public record Ack(String messageId, String externalId, boolean accepted, String outcome, String reasonCode, String reason,
                  long taskId, long itemId, String field) {

    public Ack(String messageId, String externalId, boolean accepted, String outcome, String reasonCode, String reason, long taskId,
               long itemId) {
        this(messageId, externalId, accepted, outcome, reasonCode, reason, taskId, itemId, null);
    }

    /** The same answer naming the field a refusal is about. */
    public Ack withField(String f) {
        return new Ack(messageId, externalId, accepted, outcome, reasonCode, reason, taskId, itemId, f);
    }

    public static Ack rejected(Incoming in, String externalId, String code, String reason) {
        return new Ack(in.messageId(), externalId == null ? in.externalId() : externalId, false, "rejected", code, reason, 0, 0);
    }
}
