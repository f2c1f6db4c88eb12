package dev.marketops.search.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The searchable text of an item's attributes: every scalar value (names of cinemas, carriers,
 * bed types...), whatever the category's schema, so free text works for new categories too.
 */
final class AttributeText {

    private AttributeText() {
    }

    static String of(ObjectMapper json, String attributesJson) {
        if (attributesJson == null || attributesJson.isBlank()) {
            return "";
        }
        try {
            StringBuilder sb = new StringBuilder();
            collect(json.readTree(attributesJson), sb);
            return sb.toString().trim();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void collect(JsonNode n, StringBuilder sb) {
        if (n.isValueNode()) {
            if (!n.isNull()) {
                sb.append(n.asText()).append(' ');
            }
        } else {
            n.elements().forEachRemaining(c -> collect(c, sb));
        }
    }
}
