package dev.marketops.search.reconcile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a reconciliation found: items scanned and repaired, counts per kind of drift, up to 100 sample ids per kind. */
public class DriftReport {

    public static final int SAMPLE_SIZE = 100;

    private long scanned;
    private long repaired;
    private final EnumMap<DriftKind, Long> counts = new EnumMap<>(DriftKind.class);
    private final EnumMap<DriftKind, List<Long>> samples = new EnumMap<>(DriftKind.class);

    public void scanned(int n) {
        scanned += n;
    }

    public void repaired(int n) {
        repaired += n;
    }

    public void found(DriftKind kind, long itemId) {
        counts.merge(kind, 1L, Long::sum);
        List<Long> s = samples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (s.size() < SAMPLE_SIZE) {
            s.add(itemId);
        }
    }

    public long scanned() {
        return scanned;
    }

    public long repaired() {
        return repaired;
    }

    public long count(DriftKind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** Every kind, zeros included, so a report reads the same whatever it found. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DriftKind k : DriftKind.values()) {
            out.put(k.key(), count(k));
        }
        return out;
    }

    public Map<String, List<Long>> samples() {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        samples.forEach((k, v) -> out.put(k.key(), List.copyOf(v)));
        return out;
    }
}
