package dev.marketops.config.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an attribute change does to items already online (main seed 4.5.2), plain Java: which
 * parts of the change can make a valid item invalid, whether one item's attribute values fail
 * the new definition, and the diff a schema version records.
 */
public final class AttributeImpact {

    /** A part of a change an existing item can fail: kind is a stable code. */
    public record Breaking(String kind, String detail) {
    }

    public static final String REQUIRED_ADDED = "REQUIRED_ADDED";
    public static final String ENUM_VALUES_REMOVED = "ENUM_VALUES_REMOVED";
    public static final String TYPE_CHANGED = "TYPE_CHANGED";

    private AttributeImpact() {
    }

    /**
     * The breaking parts of going from {@code before} (null: the attribute did not exist) to
     * {@code after}. An inactive attribute binds no item, so reactivating one is judged like creating it;
     * deactivating only relaxes. Tightened ranges and patterns are not judged here: the listing
     * validation engine reports them when an item is next edited.
     */
    public static List<Breaking> breaking(AttributeDefinition before, boolean beforeActive,
                                          AttributeDefinition after, boolean afterActive) {
        List<Breaking> out = new ArrayList<>();
        if (!afterActive) {
            return out;
        }
        boolean bound = before != null && beforeActive;
        if (after.required() && !(bound && before.required())) {
            out.add(new Breaking(REQUIRED_ADDED, "attribute " + after.code() + " becomes required"));
        }
        if (!bound) {
            return out;
        }
        if (!Objects.equals(before.type(), after.type())) {
            out.add(new Breaking(TYPE_CHANGED, "type " + before.type() + " -> " + after.type()));
        } else if ("enum".equals(after.type())) {
            List<String> removed = new ArrayList<>(before.enumValues() == null ? List.of() : before.enumValues());
            removed.removeAll(after.enumValues() == null ? List.of() : after.enumValues());
            if (!removed.isEmpty()) {
                out.add(new Breaking(ENUM_VALUES_REMOVED, "enum values removed: " + removed));
            }
        }
        return out;
    }

    /** Whether an item with these attribute values (its attributes_json) fails {@code after} through one of {@code breaking}. */
    public static boolean invalidates(AttributeDefinition after, List<Breaking> breaking, JsonNode attributes) {
        JsonNode v = attributes == null ? null : attributes.get(after.code());
        boolean absent = v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
        if (absent) {
            return breaking.stream().anyMatch(b -> REQUIRED_ADDED.equals(b.kind()));
        }
        boolean valueRules = breaking.stream().anyMatch(b -> TYPE_CHANGED.equals(b.kind()) || ENUM_VALUES_REMOVED.equals(b.kind()));
        return valueRules && !conforms(after, v);
    }

    /** Whether a present value has the shape the definition's type asks for. */
    static boolean conforms(AttributeDefinition d, JsonNode v) {
        String s = v.asText();
        return switch (d.type()) {
            case "text" -> v.isValueNode();
            case "integer" -> v.isIntegralNumber() || (v.isTextual() && parses(() -> Long.parseLong(s)));
            case "number", "decimal" -> v.isNumber() || (v.isTextual() && parses(() -> new BigDecimal(s)));
            case "bool" -> v.isBoolean() || "true".equals(s) || "false".equals(s);
            case "enum" -> v.isValueNode() && d.enumValues() != null && d.enumValues().contains(s);
            case "datetime" -> v.isTextual() && parses(() -> OffsetDateTime.parse(s));
            case "date" -> v.isTextual() && (parses(() -> LocalDate.parse(s)) || parses(() -> OffsetDateTime.parse(s)));
            default -> true; // json: any value
        };
    }

    /** {field: {from, to}} for every field of the definition (and the active flag) that differs. */
    public static Map<String, Map<String, Object>> diff(AttributeDefinition before, Boolean beforeActive,
                                                        AttributeDefinition after, boolean afterActive) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        put(out, "name", before == null ? null : before.name(), after.name());
        put(out, "type", before == null ? null : before.type(), after.type());
        put(out, "required", before == null ? null : before.required(), after.required());
        put(out, "defaultValue", before == null ? null : before.defaultValue(), after.defaultValue());
        put(out, "enumValues", before == null ? null : emptyAsNull(before.enumValues()), emptyAsNull(after.enumValues()));
        put(out, "validationRule", before == null ? null : emptyAsNull(before.validationRule()), emptyAsNull(after.validationRule()));
        put(out, "sortOrder", before == null ? null : before.sortOrder(), after.sortOrder());
        put(out, "description", before == null ? null : before.description(), after.description());
        put(out, "active", beforeActive, afterActive);
        return out;
    }

    private static void put(Map<String, Map<String, Object>> out, String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("from", from);
            change.put("to", to);
            out.put(field, change);
        }
    }

    private static Object emptyAsNull(List<String> l) {
        return l == null || l.isEmpty() ? null : l;
    }

    private static Object emptyAsNull(Map<String, Object> m) {
        return m == null || m.isEmpty() ? null : m;
    }

    private static boolean parses(Runnable parse) {
        return AttributeRules.parses(parse);
    }
}
