package dev.marketops.validation;

/** One broken rule: which field, which rule, the offending value and a sentence for people. */
public record Violation(String field, String rule, Object value, String message) {
}
