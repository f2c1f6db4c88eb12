package dev.marketops.config.attribute;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether an attribute definition is one the validation engine can apply: a known type, enum
 * values exactly for enums, and validation_rule keys that mean something for the type with
 * values of the right shape. Catching a bad rule here keeps it from failing every listing later.
 */
public final class AttributeRules {

    /** A problem with one field of the definition; field is the JSON path in the REST body. */
    public record Violation(String field, String reason, Object value) {
    }

    public static final Set<String> TYPES = Set.of("text", "number", "integer", "decimal", "datetime", "date", "enum",
            "bool", "json");
    /** The validation_rule keys each type understands. */
    public static final Map<String, Set<String>> RULE_KEYS = Map.of(
            "text", Set.of("minLength", "maxLength", "pattern"),
            "number", Set.of("min", "max"),
            "integer", Set.of("min", "max"),
            "decimal", Set.of("min", "max"),
            "datetime", Set.of("min", "max"),
            "date", Set.of("min", "max"),
            "enum", Set.of(),
            "bool", Set.of(),
            "json", Set.of("maxItems"));
    /** Datetime/date bounds relative to the moment a listing is validated, not the moment the rule is saved. */
    public static final Set<String> RELATIVE_TIMES = Set.of("now", "today");

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,99}");
    private static final int MAX_NAME = 255;
    private static final int MAX_DEFAULT = 500;

    private AttributeRules() {
    }

    public static List<Violation> check(AttributeDefinition d) {
        List<Violation> out = new ArrayList<>();
        if (d.code() == null || d.code().isBlank()) {
            out.add(new Violation("code", "is required", null));
        } else if (!CODE.matcher(d.code()).matches()) {
            out.add(new Violation("code", "must be lower-case letters, digits and underscores, starting with a letter",
                    d.code()));
        }
        if (d.name() == null || d.name().isBlank()) {
            out.add(new Violation("name", "is required", null));
        } else if (d.name().length() > MAX_NAME) {
            out.add(new Violation("name", "must be at most " + MAX_NAME + " characters", d.name().length()));
        }
        if (d.type() == null || d.type().isBlank()) {
            out.add(new Violation("type", "is required", null));
            return out;
        }
        if (!TYPES.contains(d.type())) {
            out.add(new Violation("type", "must be one of " + new java.util.TreeSet<>(TYPES), d.type()));
            return out;
        }
        checkEnumValues(d, out);
        checkRule(d.type(), d.validationRule() == null ? Map.of() : d.validationRule(), out);
        checkDefault(d, out);
        return out;
    }

    private static void checkEnumValues(AttributeDefinition d, List<Violation> out) {
        List<String> values = d.enumValues() == null ? List.of() : d.enumValues();
        if (!"enum".equals(d.type())) {
            if (!values.isEmpty()) {
                out.add(new Violation("enumValues", "only an enum attribute has enum values", values));
            }
            return;
        }
        if (values.isEmpty()) {
            out.add(new Violation("enumValues", "an enum attribute needs at least one value", values));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || v.isBlank()) {
                out.add(new Violation("enumValues[" + i + "]", "must not be blank", v));
            } else if (!seen.add(v)) {
                out.add(new Violation("enumValues[" + i + "]", "is listed twice", v));
            }
        }
    }

    private static void checkRule(String type, Map<String, Object> rule, List<Violation> out) {
        Set<String> allowed = RULE_KEYS.get(type);
        int before = out.size();
        for (Map.Entry<String, Object> e : rule.entrySet()) {
            String field = "validationRule." + e.getKey();
            Object v = e.getValue();
            if (!allowed.contains(e.getKey())) {
                out.add(new Violation(field, "is not a rule for type " + type
                        + (allowed.isEmpty() ? " (it takes none)" : "; allowed: " + new java.util.TreeSet<>(allowed)), v));
                continue;
            }
            switch (e.getKey()) {
                case "minLength", "maxLength", "maxItems" -> {
                    if (!isNonNegativeInteger(v)) {
                        out.add(new Violation(field, "must be a whole number of at least 0", v));
                    }
                }
                case "pattern" -> checkPattern(field, v, out);
                case "min", "max" -> checkBound(type, field, v, out);
                default -> throw new IllegalStateException("rule key without a check: " + e.getKey());
            }
        }
        if (out.size() == before) { // bounds are only compared when each one is well formed
            checkOrder(rule, "minLength", "maxLength", out);
            checkOrder(rule, "min", "max", out);
        }
    }

    private static void checkPattern(String field, Object v, List<Violation> out) {
        if (!(v instanceof String regex) || regex.isEmpty()) {
            out.add(new Violation(field, "must be a non-empty regular expression", v));
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException ex) {
            out.add(new Violation(field, "is not a valid regular expression: " + ex.getDescription(), v));
        }
    }

    private static void checkBound(String type, String field, Object v, List<Violation> out) {
        switch (type) {
            case "integer" -> {
                if (!isInteger(v)) {
                    out.add(new Violation(field, "must be a whole number", v));
                }
            }
            case "number", "decimal" -> {
                if (!(v instanceof Number)) {
                    out.add(new Violation(field, "must be a number", v));
                }
            }
            default -> { // datetime, date
                if (!(v instanceof String s) || !(RELATIVE_TIMES.contains(s) || parsesAsTime(s))) {
                    out.add(new Violation(field, "must be \"now\", \"today\", an ISO instant (2026-01-31T20:00:00Z)"
                            + " or an ISO date (2026-01-31)", v));
                }
            }
        }
    }

    private static void checkOrder(Map<String, Object> rule, String lowKey, String highKey, List<Violation> out) {
        if (rule.get(lowKey) instanceof Number low && rule.get(highKey) instanceof Number high
                && decimal(low).compareTo(decimal(high)) > 0) {
            out.add(new Violation("validationRule." + lowKey, "must not exceed " + highKey + " (" + high + ")", low));
        }
    }

    private static void checkDefault(AttributeDefinition d, List<Violation> out) {
        String v = d.defaultValue();
        if (v == null) {
            return;
        }
        if (v.length() > MAX_DEFAULT) {
            out.add(new Violation("defaultValue", "must be at most " + MAX_DEFAULT + " characters", v.length()));
            return;
        }
        String problem = switch (d.type()) {
            case "enum" -> d.enumValues() != null && d.enumValues().contains(v) ? null : "must be one of the enum values";
            case "integer" -> parses(() -> Long.parseLong(v)) ? null : "must be a whole number";
            case "number", "decimal" -> parses(() -> new BigDecimal(v)) ? null : "must be a number";
            case "bool" -> "true".equals(v) || "false".equals(v) ? null : "must be true or false";
            case "datetime" -> parses(() -> OffsetDateTime.parse(v)) ? null : "must be an ISO date-time";
            case "date" -> parses(() -> LocalDate.parse(v)) ? null : "must be an ISO date";
            default -> null;
        };
        if (problem != null) {
            out.add(new Violation("defaultValue", problem, v));
        }
    }

    /** The validation engine reads either form as a bound for both types (a date means its start, UTC). */
    private static boolean parsesAsTime(String s) {
        return parses(() -> OffsetDateTime.parse(s)) || parses(() -> LocalDate.parse(s));
    }

    static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (NumberFormatException | DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isInteger(Object v) {
        return v instanceof Number n && decimal(n).stripTrailingZeros().scale() <= 0;
    }

    private static boolean isNonNegativeInteger(Object v) {
        return isInteger(v) && ((Number) v).doubleValue() >= 0;
    }

    private static BigDecimal decimal(Number n) {
        return new BigDecimal(n.toString());
    }
}
