package dev.marketops.audit.worker;

import dev.marketops.validation.ValidationLevel;

/** What each audit strategy does (main seed 3.2/3.3.5), in one place. */
public enum AuditDecision {
    /** skip: approved at once, no checks. */
    SKIP(null, false),
    /** fast_track: required fields and formats only; approve or reject within seconds. */
    FAST_TRACK(ValidationLevel.REQUIRED_AND_FORMAT, false),
    /** auto: the full engine decides approve or reject. */
    AUTO(ValidationLevel.FULL, false),
    /** manual: the full engine's findings go with the task into the review queue. */
    MANUAL(ValidationLevel.FULL, true);

    public final ValidationLevel level;
    public final boolean needsPerson;

    AuditDecision(ValidationLevel level, boolean needsPerson) {
        this.level = level;
        this.needsPerson = needsPerson;
    }

    public static AuditDecision of(String strategy) {
        return switch (strategy) {
            case "skip" -> SKIP;
            case "fast_track" -> FAST_TRACK;
            case "auto" -> AUTO;
            case "manual" -> MANUAL;
            default -> throw new IllegalArgumentException("unknown audit strategy " + strategy);
        };
    }

    public String wire() {
        return name().toLowerCase();
    }
}
