package dev.marketops.validation;

/** How deep to check: fast track stops after the first level (main seed 3.2). */
public enum ValidationLevel {
    /** Required attributes present, types, enum values and the configured format rules. */
    REQUIRED_AND_FORMAT,
    /** The above plus the category's business rules. */
    FULL
}
