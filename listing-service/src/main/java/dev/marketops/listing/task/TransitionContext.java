package dev.marketops.listing.task;

import java.util.Map;

/**
 * Who asks for a transition and with what. {@code expectedVersion} null means the caller owns
 * the step and does not check (internal workers); otherwise a mismatch is a stale write.
 * {@code itemId} is the catalogue item a publish makes the task into.
 */
public record TransitionContext(Long expectedVersion, Long operatorId, String operatorType, String reason,
                                String auditType, Map<String, Object> validationResult, Long itemId) {

    public TransitionContext(Long expectedVersion, Long operatorId, String operatorType, String reason,
                             String auditType, Map<String, Object> validationResult) {
        this(expectedVersion, operatorId, operatorType, reason, auditType, validationResult, null);
    }

    public static TransitionContext of(Long expectedVersion, Long operatorId, String operatorType, String reason) {
        return new TransitionContext(expectedVersion, operatorId, operatorType, reason, null, null, null);
    }
}
