package dev.marketops.batch.worker;

import dev.marketops.platform.problem.ApiProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The operation's parameters chosen at upload (e.g. {"mode": "percent", "value": -10}), read with clear 400s. */
public record BatchParams(Map<String, Object> values) {

    public String text(String key, String fallback) {
        Object v = values.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    public String requireText(String key) {
        String v = text(key, null);
        if (v == null) {
            throw ApiProblem.missingField("params." + key);
        }
        return v;
    }

    public Long longOrNull(String key) {
        Object v = values.get(key);
        if (v == null || v.toString().isBlank()) {
            return null;
        }
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField("params." + key, "must be a whole number", v);
        }
    }

    public boolean flag(String key) {
        Object v = values.get(key);
        return v != null && (Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(v.toString().trim()));
    }

    public boolean has(String key) {
        return text(key, null) != null;
    }

    /** A list given as a JSON array or as "1,2,3". */
    public List<Long> longs(String key) {
        Object v = values.get(key);
        List<Long> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        Iterable<?> parts = v instanceof List<?> l ? l : List.of(v.toString().split(","));
        for (Object p : parts) {
            String s = p.toString().trim();
            if (!s.isEmpty()) {
                try {
                    out.add(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    throw ApiProblem.invalidField("params." + key, "must be ids", v);
                }
            }
        }
        return out;
    }
}
