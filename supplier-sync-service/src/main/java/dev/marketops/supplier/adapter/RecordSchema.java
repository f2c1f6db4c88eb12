package dev.marketops.supplier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON Schema (2020-12) of one supplier kind's records, {@code supplier-push/<kind>.schema.json}
 * (the same file suppliers are given), checked with networknt json-schema-validator before the
 * adapter maps a record. A violation is a {@link RecordProblem} naming the field as a path
 * ({@code calendar[1].price}) and the reasons; the adapter keeps the checks a schema cannot say
 * (a session in the future, consecutive nights, sale price not above face value).
 */
public final class RecordSchema {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    /** At most this many violations are named in the reason (the first one names the field). */
    private static final int NAMED = 5;

    private final JsonSchema schema;

    private RecordSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** The schema of a kind; a kind without its schema file cannot start (a new kind is its class, its schema and a registry row). */
    public static RecordSchema of(String kind) {
        String path = "supplier-push/" + kind + ".schema.json";
        try (InputStream in = RecordSchema.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("supplier kind " + kind + " has no record schema " + path);
            }
            return new RecordSchema(FACTORY.getSchema(in, CONFIG));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /** Throws the first violation (with the others in its reason), or returns when the record conforms. */
    public void check(JsonNode record) {
        Set<ValidationMessage> errors = schema.validate(record);
        if (errors.isEmpty()) {
            return;
        }
        // in field order, so the same record is always refused with the same first field and code
        List<ValidationMessage> sorted = new ArrayList<>(errors);
        sorted.sort(java.util.Comparator.comparing(RecordSchema::field).thenComparing(ValidationMessage::getType));
        List<String> reasons = new ArrayList<>();
        ValidationMessage first = null;
        String firstField = null;
        for (ValidationMessage m : sorted) {
            String field = field(m);
            if (first == null) {
                first = m;
                firstField = field;
            }
            if (reasons.size() < NAMED) {
                reasons.add((field.isEmpty() ? "record" : field) + ": " + m.getError());
            }
        }
        String more = errors.size() > NAMED ? " (and " + (errors.size() - NAMED) + " more)" : "";
        throw new RecordProblem(code(first), firstField.isEmpty() ? "record" : firstField, String.join("; ", reasons) + more);
    }

    /** The instance path as the adapters name fields ("calendar[0].price"); for "required" the missing property. */
    private static String field(ValidationMessage m) {
        var path = m.getInstanceLocation();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object e = path.getElement(i);
            if (e instanceof Integer n) {
                b.append('[').append(n).append(']');
            } else {
                b.append(b.isEmpty() ? "" : ".").append(e);
            }
        }
        String at = b.toString();
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            return at.isEmpty() ? m.getProperty() : at + "." + m.getProperty();
        }
        return at;
    }

    /** The reason codes the adapters use already, so a supplier sees one vocabulary. */
    private static String code(ValidationMessage m) {
        return switch (m.getType()) {
            case "required" -> "MISSING_FIELD";
            case "exclusiveMinimum" -> "PRICE_NOT_POSITIVE"; // every exclusive minimum in the schemas is a price > 0
            default -> "INVALID_FIELD";
        };
    }
}
