package dev.marketops.publish.runner;

/** The answer for one saga of a step call: ok, or failed (transiently or for good). */
record StepOutcome(boolean ok, boolean retryable, String error, long itemId) {

    static StepOutcome success(long itemId) {
        return new StepOutcome(true, false, null, itemId);
    }

    static StepOutcome failure(boolean retryable, String error) {
        return new StepOutcome(false, retryable, error, 0);
    }
}
