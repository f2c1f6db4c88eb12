package dev.marketops.platform.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.MapType;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes every id of the public JSON APIs as a string: our ids are 64-bit snowflakes, above
 * 2^53, and a browser (or jq) reading them as numbers silently rounds them. The rule is by name,
 * so no DTO, hand-built {@code Map} or {@code JsonNode} response can forget it: a property or key
 * named like an id ({@link #isIdName}) holding an integral number (or an array/collection of
 * them) is written as a string (array of strings). Reading is
 * unchanged: Jackson coerces {@code "123"} and {@code 123} alike into a long, so requests accept both.
 * <p>
 * Only the REST layer uses it ({@link RestJson}); events and gRPC are protobuf, and JSON the
 * services keep for themselves (OpenSearch documents, Redis, JSON columns) keeps numbers.
 */
public final class JsonIds {

    private JsonIds() {
    }

    /**
     * Ids whose names do not follow the convention: the batch a batch undoes or repeats, and the
     * merchant's shop that created a batch. Adding a name here fixes both the JSON and the OpenAPI schema.
     */
    private static final Set<String> OTHER_ID_NAMES = Set.of("duplicateOf", "undoOf", "createdByMerchant");

    /**
     * True for a JSON name that holds an id by the fleet's naming convention: {@code id},
     * {@code ...Id(s)}, {@code ..._id(s)}, and {@code ...By} (the user who did it: createdBy, updatedBy).
     * Only integral values under such names change, so {@code requestId: "r-1"} or {@code sortBy: "price"} stay as they are.
     */
    public static boolean isIdName(String name) {
        return name != null && (name.equals("id") || name.endsWith("Id") || name.endsWith("Ids")
                || name.endsWith("_id") || name.endsWith("_ids") || name.endsWith("By") || name.endsWith("_by")
                || OTHER_ID_NAMES.contains(name));
    }

    /** The Jackson module that applies the rule; register it on the REST ObjectMapper. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("marketops-ids-as-strings");
        m.setSerializerModifier(new IdsModifier());
        m.addSerializer(JsonNode.class, new IdAwareNodeSerializer());
        return m;
    }

    /**
     * The map with the values of its id keys as strings: for maps Jackson writes without a map
     * serializer of its own (a {@code @JsonAnyGetter}, such as a problem's extensions).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> idsAsText(Map<String, Object> map) {
        return map == null ? null : (Map<String, Object>) IdAwareMapSerializer.rewrite(map);
    }

    static boolean isIntegral(Class<?> c) {
        return c == long.class || c == Long.class || c == int.class || c == Integer.class
                || c == short.class || c == Short.class || c == BigInteger.class;
    }

    private static boolean isIntegralValue(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof BigInteger;
    }

    /** The value as it is written under an id name: integral numbers (also inside arrays) become strings. */
    static Object idValue(Object v) {
        if (isIntegralValue(v)) {
            return v.toString();
        }
        if (v instanceof Collection<?> c && c.stream().anyMatch(JsonIds::isIntegralValue)) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object e : c) {
                out.add(isIntegralValue(e) ? e.toString() : e);
            }
            return out;
        }
        if (v instanceof long[] a) {
            List<String> out = new ArrayList<>(a.length);
            for (long e : a) {
                out.add(Long.toString(e));
            }
            return out;
        }
        if (v instanceof int[] a) {
            List<String> out = new ArrayList<>(a.length);
            for (int e : a) {
                out.add(Integer.toString(e));
            }
            return out;
        }
        return v;
    }

    private static final class IdsModifier extends BeanSerializerModifier {

        @Override
        public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription desc,
                                                         List<BeanPropertyWriter> props) {
            for (BeanPropertyWriter w : props) {
                if (!isIdName(w.getName()) || w.hasSerializer()) {
                    continue;
                }
                JavaType t = w.getType();
                boolean integral = isIntegral(t.getRawClass());
                boolean integralElements = (t.isArrayType() || t.isCollectionLikeType())
                        && t.getContentType() != null && isIntegral(t.getContentType().getRawClass());
                if (integral || integralElements) {
                    w.assignSerializer(IdValueSerializer.INSTANCE);
                }
            }
            return props;
        }

        @Override
        public JsonSerializer<?> modifyMapSerializer(SerializationConfig config, MapType valueType,
                                                     BeanDescription desc, JsonSerializer<?> serializer) {
            return new IdAwareMapSerializer(serializer);
        }
    }

    /** An id property (or collection of ids) of a bean: written as string(s). */
    private static final class IdValueSerializer extends StdSerializer<Object> {
        static final IdValueSerializer INSTANCE = new IdValueSerializer();

        IdValueSerializer() {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Object v = idValue(value);
            if (v instanceof String s) {
                gen.writeString(s);
                return;
            }
            if (v instanceof Iterable<?> it) {
                gen.writeStartArray();
                for (Object e : it) {
                    if (e == null) {
                        gen.writeNull();
                    } else {
                        gen.writeString(e.toString());
                    }
                }
                gen.writeEndArray();
                return;
            }
            provider.defaultSerializeValue(v, gen);
        }
    }

    /**
     * A map written by the default serializer after replacing the integral values of its id keys,
     * so maps keep every other behaviour (inclusion, ordering, nested values).
     */
    private static final class IdAwareMapSerializer extends JsonSerializer<Object> implements ContextualSerializer {
        private final JsonSerializer<Object> delegate;

        @SuppressWarnings("unchecked")
        IdAwareMapSerializer(JsonSerializer<?> delegate) {
            this.delegate = (JsonSerializer<Object>) delegate;
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider prov, BeanProperty property) throws JsonMappingException {
            JsonSerializer<?> d = delegate instanceof ContextualSerializer c ? c.createContextual(prov, property) : delegate;
            return d == delegate ? this : new IdAwareMapSerializer(d);
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Map<?, ?> rewritten = rewrite((Map<?, ?>) value);
            if (rewritten == value) {
                delegate.serialize(value, gen, provider);
            } else {
                // The delegate may be statically typed for the old values (Map<String, Long>); the copy is not.
                provider.defaultSerializeValue(rewritten, gen);
            }
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer) throws IOException {
            delegate.serializeWithType(value, gen, provider, typeSer);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Object value) {
            return delegate.isEmpty(provider, value);
        }

        @Override
        public Class<Object> handledType() {
            return delegate.handledType();
        }

        private static Map<?, ?> rewrite(Map<?, ?> map) {
            Map<Object, Object> copy = null;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey() instanceof String k && isIdName(k) && e.getValue() != null) {
                    Object v = idValue(e.getValue());
                    if (v != e.getValue()) {
                        if (copy == null) {
                            copy = new LinkedHashMap<>(map);
                        }
                        copy.put(k, v);
                    }
                }
            }
            return copy == null ? map : copy;
        }
    }

    /** A JSON tree, walked so ids nested anywhere in it are written as strings. */
    private static final class IdAwareNodeSerializer extends StdSerializer<JsonNode> {

        IdAwareNodeSerializer() {
            super(JsonNode.class);
        }

        @Override
        public void serialize(JsonNode node, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (node instanceof ObjectNode o) {
                gen.writeStartObject(o);
                Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    gen.writeFieldName(f.getKey());
                    if (isIdName(f.getKey())) {
                        writeId(f.getValue(), gen, provider);
                    } else {
                        serialize(f.getValue(), gen, provider);
                    }
                }
                gen.writeEndObject();
            } else if (node instanceof ArrayNode a) {
                gen.writeStartArray(a, a.size());
                for (JsonNode e : a) {
                    serialize(e, gen, provider);
                }
                gen.writeEndArray();
            } else {
                ((JsonSerializable) node).serialize(gen, provider);
            }
        }

        private void writeId(JsonNode v, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (v.isIntegralNumber()) {
                gen.writeString(v.asText());
            } else if (v instanceof ArrayNode a) {
                gen.writeStartArray(a, a.size());
                for (JsonNode e : a) {
                    writeId(e, gen, provider);
                }
                gen.writeEndArray();
            } else {
                serialize(v, gen, provider);
            }
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, JsonNode value) {
            return value == null || ((JsonSerializable.Base) value).isEmpty(provider);
        }
    }
}
