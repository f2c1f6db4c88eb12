package dev.marketops.batch.worker;

import java.util.Map;

/**
 * An item a worker holds for one chunk. {@code preVersion} is set when an earlier attempt
 * reached the point of calling the owning service and its outcome is unknown (crash).
 */
public record ClaimedItem(int rowNo, Long targetId, Map<String, Object> payload, int attempts, Long preVersion,
                          String beforeJson) {
}
