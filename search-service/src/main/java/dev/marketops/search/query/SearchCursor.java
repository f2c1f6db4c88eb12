package dev.marketops.search.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque searchAfter token of deep pages: the sort values of the last hit and the sort
 * they belong to (a cursor of another sort would skip or repeat items, so it is refused).
 */
public record SearchCursor(String sort, ArrayNode values) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("s", sort);
        n.set("v", values);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static SearchCursor decode(String token, String expectedSort) {
        JsonNode n;
        try {
            n = JSON.readTree(Base64.getUrlDecoder().decode(token.trim()));
        } catch (Exception e) {
            throw ApiProblem.invalidField("searchAfter", "not a cursor this API returned", token);
        }
        if (n == null || !n.path("v").isArray() || !n.path("s").isTextual()) {
            throw ApiProblem.invalidField("searchAfter", "not a cursor this API returned", token);
        }
        if (!n.path("s").asText().equals(expectedSort)) {
            throw new ApiProblem(400, "CURSOR_SORT_MISMATCH", "Cursor of another sort",
                    "the cursor was issued for sort " + n.path("s").asText() + ", not " + expectedSort)
                    .with("field", "searchAfter");
        }
        return new SearchCursor(expectedSort, (ArrayNode) n.path("v"));
    }
}
