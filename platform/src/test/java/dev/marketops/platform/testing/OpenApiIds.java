package dev.marketops.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketops.platform.json.JsonIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Finds the ids an OpenAPI document (as JSON) still types as integers: a client generated from it would round them. */
public final class OpenApiIds {

    private OpenApiIds() {
    }

    /** JSON paths of every id property or parameter whose schema says integer. */
    public static List<String> integerIds(JsonNode doc) {
        List<String> out = new ArrayList<>();
        collect(doc, "", out);
        return out;
    }

    private static void collect(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            JsonNode props = node.get("properties");
            if (props != null && props.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (JsonIds.isIdName(p.getKey()) && mentionsInteger(p.getValue())) {
                        out.add(path + "/properties/" + p.getKey());
                    }
                }
            }
            if (node.has("in") && JsonIds.isIdName(node.path("name").asText()) && mentionsInteger(node.path("schema"))) {
                out.add(path + " (parameter " + node.path("name").asText() + ")");
            }
            node.fields().forEachRemaining(f -> collect(f.getValue(), path + "/" + f.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "/" + i, out);
            }
        }
    }

    private static boolean mentionsInteger(JsonNode schema) {
        JsonNode type = schema.path("type");
        if ("integer".equals(type.asText()) || (type.isArray() && type.toString().contains("\"integer\""))) {
            return true;
        }
        for (String nested : List.of("items", "anyOf", "oneOf", "allOf")) {
            JsonNode n = schema.get(nested);
            if (n == null) {
                continue;
            }
            if (!n.isArray() && mentionsInteger(n)) {
                return true;
            }
            for (JsonNode alternative : n.isArray() ? n : List.<JsonNode>of()) {
                if (mentionsInteger(alternative)) {
                    return true;
                }
            }
        }
        return false;
    }
}
