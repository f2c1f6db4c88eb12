package dev.marketops.publish.runner;

/**
 * The answer for one saga of a step call: ok, or failed (transiently or for good). {@code outage}:
 * the owning service could not be reached or was overloaded (the whole call failed with
 * UNAVAILABLE, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED): no fault of the saga, waited out.
 */
record StepOutcome(boolean ok, boolean retryable, String error, long itemId, boolean outage) {

    static StepOutcome success(long itemId) {
        return new StepOutcome(true, false, null, itemId, false);
    }

    static StepOutcome failure(boolean retryable, String error) {
        return new StepOutcome(false, retryable, error, 0, false);
    }

    static StepOutcome outage(String error) {
        return new StepOutcome(false, true, error, 0, true);
    }
}
