package dev.marketops.batch.intake;

import java.util.Map;

/** A valid row as an operation wants it applied: its target, its values and its dedupe key. */
public record ParsedRow(String targetType, long targetId, Map<String, Object> payload, String dedupeKey) {
}
