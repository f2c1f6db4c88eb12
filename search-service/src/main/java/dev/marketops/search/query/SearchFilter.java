package dev.marketops.search.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.problem.ApiProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The product list's filters as a JSON object (a saved view's or an export's {@code filter}):
 * the query parameters of {@code GET /search/items} under the same names, checked by the same
 * {@link SearchCriteria} rules. Refusals name the key as {@code filter.<key>}. Paging keys
 * (page, size, searchAfter) and userType are not filters and are dropped; {@code sort} may be
 * given here or beside the filter.
 */
public record SearchFilter(ObjectNode filter, String sort) {

    /** The filter keys, in the order of GET /search/items. */
    public static final List<String> KEYS = List.of("categoryId", "status", "sourceType", "shopId", "merchantId", "priceMin",
            "priceMax", "stockMin", "stockMax", "tags", "createdFrom", "createdTo", "updatedFrom", "updatedTo", "q");
    private static final Set<String> DROPPED = Set.of("page", "size", "searchAfter", "userType");
    /** Keys that may hold a list (also accepted as a comma list). */
    private static final Set<String> LISTS = Set.of("tags", "status");

    /**
     * Reads and checks a filter object (null: no filter) and a sort (null or blank: the filter's
     * {@code sort}, else the list's default); {@code ownShop} is the merchant's shop (null for
     * staff): a filter naming another shop is 403.
     */
    public static SearchFilter read(JsonNode raw, String sort, Long ownShop) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String sortInFilter = null;
        if (raw != null && !raw.isNull()) {
            if (!raw.isObject()) {
                throw ApiProblem.invalidField("filter", "must be an object of the search's query parameters", raw.toString());
            }
            Iterator<Map.Entry<String, JsonNode>> fields = raw.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String key = f.getKey();
                JsonNode v = f.getValue();
                if (DROPPED.contains(key) || v == null || v.isNull()) {
                    continue;
                }
                if (key.equals("sort")) {
                    sortInFilter = scalar(key, v);
                    continue;
                }
                if (!KEYS.contains(key)) {
                    throw ApiProblem.invalidField("filter." + key, "not a filter of the product search; one of " + KEYS, key);
                }
                if (v.isArray() && LISTS.contains(key)) {
                    ArrayNode list = out.putArray(key);
                    for (JsonNode e : v) {
                        list.add(scalar(key, e));
                    }
                } else {
                    out.put(key, scalar(key, v));
                }
            }
        }
        String s = sort != null && !sort.isBlank() ? sort.trim() : sortInFilter;
        SearchFilter f = new SearchFilter(out, s == null || s.isBlank() ? null : s.trim());
        f.criteria(ownShop, 0, 20); // every refusal now, not when the view is used or the export runs
        return f;
    }

    /** The checked criteria for a caller ({@code ownShop}: the merchant's shop, forced; null for staff). */
    public SearchCriteria criteria(Long ownShop, int page, int size) {
        try {
            String shop = ShopScope.scoped(ownShop, text("shopId"), text("merchantId"));
            return SearchCriteria.parse(new SearchCriteria.Raw(text("categoryId"), joined("status"), text("sourceType"), shop, null,
                    text("priceMin"), text("priceMax"), text("stockMin"), text("stockMax"), list("tags"), text("createdFrom"),
                    text("createdTo"), text("updatedFrom"), text("updatedTo"), text("q"), sort, Integer.toString(page),
                    Integer.toString(size), null));
        } catch (ApiProblem p) {
            Object field = p.extensions().get("field");
            if (field instanceof String name && KEYS.contains(name)) {
                p.with("field", "filter." + name);
            }
            Object other = p.extensions().get("otherField");
            if (other instanceof String name && KEYS.contains(name)) {
                p.with("otherField", "filter." + name);
            }
            throw p;
        }
    }

    private static String scalar(String key, JsonNode v) {
        if (v.isTextual() || v.isNumber()) {
            return v.asText();
        }
        throw ApiProblem.invalidField("filter." + key, "must be a string or a number" + (LISTS.contains(key) ? ", or a list of them" : ""),
                v.toString());
    }

    private String text(String key) {
        JsonNode v = filter.get(key);
        return v == null || v.isArray() ? null : v.asText();
    }

    private String joined(String key) {
        List<String> l = list(key);
        return l == null ? null : String.join(",", l);
    }

    private List<String> list(String key) {
        JsonNode v = filter.get(key);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        } else {
            out.add(v.asText());
        }
        return out;
    }
}
