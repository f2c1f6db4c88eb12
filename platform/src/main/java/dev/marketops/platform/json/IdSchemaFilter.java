package dev.marketops.platform.json;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Makes every service's OpenAPI document say what {@link JsonIds} writes: an id property or
 * parameter is {@code type: string, format: int64} (arrays of ids: items of that), so generated
 * clients keep ids as strings and never round them.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class IdSchemaFilter implements OASFilter {

    @Override
    public Schema filterSchema(Schema schema) {
        Map<String, Schema> props = schema.getProperties();
        if (props != null) {
            props.forEach((name, p) -> {
                if (JsonIds.isIdName(name)) {
                    asIdSchema(p);
                }
            });
        }
        return schema;
    }

    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (JsonIds.isIdName(parameter.getName()) && parameter.getSchema() != null) {
            asIdSchema(parameter.getSchema());
        }
        return parameter;
    }

    /** Rewrites an integer schema (also nullable, inside anyOf/oneOf, or an array's items) to string/int64. */
    static void asIdSchema(Schema s) {
        if (s == null) {
            return;
        }
        List<Schema.SchemaType> types = s.getType();
        if (types != null && types.contains(Schema.SchemaType.INTEGER)) {
            List<Schema.SchemaType> replaced = new ArrayList<>(types.size());
            for (Schema.SchemaType t : types) {
                replaced.add(t == Schema.SchemaType.INTEGER ? Schema.SchemaType.STRING : t);
            }
            s.setType(replaced);
            s.setFormat("int64");
            s.setMinimum(null);
            s.setMaximum(null);
        }
        if (types != null && types.contains(Schema.SchemaType.ARRAY)) {
            asIdSchema(s.getItems());
        }
        Stream.of(s.getAnyOf(), s.getOneOf(), s.getAllOf()).filter(Objects::nonNull)
                .forEach(alternatives -> alternatives.forEach(IdSchemaFilter::asIdSchema));
    }
}
