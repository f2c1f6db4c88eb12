package dev.marketops.publish.saga;

import dev.marketops.platform.problem.ApiProblem;
import java.util.Arrays;

/** The life of a publish saga (main seed 5.6): run forward, or undo the completed steps in reverse. */
public enum SagaStatus {
    STARTED, COMPLETED, COMPENSATING, COMPENSATED, FAILED;

    /** The value stored in publish_saga.status and shown by the API. */
    public String wire() {
        return name().toLowerCase();
    }

    public static SagaStatus parse(String field, String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst()
                .orElseThrow(() -> ApiProblem.invalidField(field, "must be one of "
                        + Arrays.stream(values()).map(SagaStatus::wire).toList(), value));
    }
}
