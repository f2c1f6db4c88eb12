package dev.marketops.validation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.proto.config.CategoryAttribute;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates item data against the category's configured attributes: required, type, enum
 * values and the attribute's validation_rule (maxLength, minLength, min, max with "now" for
 * times, pattern, maxItems). This is what makes a new category work with no code.
 */
public final class AttributeValidator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AttributeValidator() {
    }

    public static List<Violation> validate(Collection<CategoryAttribute> attributes, Map<String, Object> data, Clock clock) {
        List<Violation> out = new ArrayList<>();
        for (CategoryAttribute a : attributes) {
            String field = a.getAttributeCode();
            Object v = data.get(field);
            if (Values.blank(v)) {
                if (a.getRequired()) {
                    out.add(new Violation(field, "required", null, a.getAttributeName() + " is required"));
                }
                continue;
            }
            Map<String, Object> rule = rule(a);
            checkType(a, field, v, rule, clock, out);
        }
        return out;
    }

    private static void checkType(CategoryAttribute a, String field, Object v, Map<String, Object> rule, Clock clock,
                                  List<Violation> out) {
        switch (a.getAttributeType()) {
            case "text" -> {
                if (!(v instanceof String s)) {
                    out.add(new Violation(field, "type", v, "must be text"));
                    return;
                }
                intRule(rule, "maxLength").filter(max -> s.length() > max).ifPresent(max ->
                        out.add(new Violation(field, "maxLength", s.length(), "must be at most " + max + " characters")));
                intRule(rule, "minLength").filter(min -> s.length() < min).ifPresent(min ->
                        out.add(new Violation(field, "minLength", s.length(), "must be at least " + min + " characters")));
                if (rule.get("pattern") instanceof String p) {
                    try {
                        if (!Pattern.compile(p).matcher(s).matches()) {
                            out.add(new Violation(field, "pattern", s, "must match " + p));
                        }
                    } catch (PatternSyntaxException e) {
                        out.add(new Violation(field, "pattern", p, "the configured pattern is not a valid regex"));
                    }
                }
            }
            case "number", "decimal" -> Values.decimal(v).ifPresentOrElse(d -> range(field, d, rule, out),
                    () -> out.add(new Violation(field, "type", v, "must be a number")));
            case "integer" -> Values.decimal(v).filter(d -> d.stripTrailingZeros().scale() <= 0)
                    .ifPresentOrElse(d -> range(field, d, rule, out),
                            () -> out.add(new Violation(field, "type", v, "must be a whole number")));
            case "datetime" -> Values.instant(v).ifPresentOrElse(t -> timeRange(field, t, rule, clock, out),
                    () -> out.add(new Violation(field, "type", v, "must be an ISO-8601 date-time, e.g. 2027-05-01T20:00:00+08:00")));
            case "date" -> Values.date(v).ifPresentOrElse(
                    d -> timeRange(field, d.atStartOfDay(ZoneOffset.UTC).toInstant(), rule, clock, out),
                    () -> out.add(new Violation(field, "type", v, "must be an ISO-8601 date, e.g. 2027-05-01")));
            case "enum" -> {
                if (!(v instanceof String s) || !a.getEnumValuesList().contains(s)) {
                    out.add(new Violation(field, "enum", v, "must be one of " + a.getEnumValuesList()));
                }
            }
            case "bool" -> {
                if (!(v instanceof Boolean) && !"true".equals(v) && !"false".equals(v)) {
                    out.add(new Violation(field, "type", v, "must be true or false"));
                }
            }
            case "json" -> {
                if (!(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
                    out.add(new Violation(field, "type", v, "must be a JSON object or array"));
                } else if (v instanceof List<?> list) {
                    intRule(rule, "maxItems").filter(max -> list.size() > max).ifPresent(max ->
                            out.add(new Violation(field, "maxItems", list.size(), "must have at most " + max + " entries")));
                }
            }
            default -> out.add(new Violation(field, "type", a.getAttributeType(), "unknown attribute type in configuration"));
        }
    }

    private static void range(String field, BigDecimal d, Map<String, Object> rule, List<Violation> out) {
        Values.decimal(rule.get("min")).filter(min -> d.compareTo(min) < 0).ifPresent(min ->
                out.add(new Violation(field, "min", d.toPlainString(), "must be at least " + min.toPlainString())));
        Values.decimal(rule.get("max")).filter(max -> d.compareTo(max) > 0).ifPresent(max ->
                out.add(new Violation(field, "max", d.toPlainString(), "must be at most " + max.toPlainString())));
    }

    private static void timeRange(String field, Instant t, Map<String, Object> rule, Clock clock, List<Violation> out) {
        bound(rule.get("min"), clock).filter(t::isBefore).ifPresent(min ->
                out.add(new Violation(field, "min", t.toString(), "must not be before " + describe(rule.get("min"), min))));
        bound(rule.get("max"), clock).filter(t::isAfter).ifPresent(max ->
                out.add(new Violation(field, "max", t.toString(), "must not be after " + describe(rule.get("max"), max))));
    }

    private static Optional<Instant> bound(Object spec, Clock clock) {
        if ("now".equals(spec)) {
            return Optional.of(clock.instant());
        }
        if ("today".equals(spec)) {
            return Optional.of(LocalDate.now(clock).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        return Values.instant(spec).or(() -> Values.date(spec).map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant()));
    }

    private static String describe(Object spec, Instant at) {
        return "now".equals(spec) ? "now (" + at + ")" : at.toString();
    }

    private static Optional<Integer> intRule(Map<String, Object> rule, String key) {
        return Values.decimal(rule.get(key)).map(BigDecimal::intValue);
    }

    static Map<String, Object> rule(CategoryAttribute a) {
        String json = a.getValidationRuleJson();
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (Exception e) {
            return Map.of();
        }
    }
}
