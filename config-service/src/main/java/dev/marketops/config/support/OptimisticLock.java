package dev.marketops.config.support;

import dev.marketops.platform.problem.ApiProblem;

/**
 * The version check of every configuration update. Services load the row with a row lock
 * (SELECT ... FOR UPDATE) before calling it, so two concurrent editors cannot both pass.
 */
public final class OptimisticLock {

    private OptimisticLock() {
    }

    public static void check(Long expected, long current, String what, Object id) {
        if (expected == null) {
            throw ApiProblem.missingField("version");
        }
        if (expected != current) {
            throw ApiProblem.conflict("STALE_VERSION", what + " " + id + " is at version " + current
                            + ", the update was made against version " + expected + "; reload and retry")
                    .with("field", "version").with("value", expected).with("currentVersion", current);
        }
    }
}
