package dev.marketops.validation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public record ValidationResult(ValidationLevel level, List<String> rulesApplied, List<Violation> violations) {

    public boolean valid() {
        return violations.isEmpty();
    }

    /** A JSON-friendly form, stored with the task and in the audit log. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level.name().toLowerCase());
        m.put("valid", valid());
        m.put("rulesApplied", rulesApplied);
        m.put("violations", violations.stream().map(v -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("field", v.field());
            e.put("rule", v.rule());
            e.put("value", v.value() == null ? null : String.valueOf(v.value()));
            e.put("message", v.message());
            return e;
        }).toList());
        return m;
    }

    public String summary() {
        return violations.stream().map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b).orElse("valid");
    }
}
