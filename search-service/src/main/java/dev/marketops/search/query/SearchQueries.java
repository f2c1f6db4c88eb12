package dev.marketops.search.query;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns checked criteria into the engine's query DSL (the subset OpenSearch and Elasticsearch share). */
public final class SearchQueries {

    private SearchQueries() {
    }

    /** The bool query of the filters and free text; without a status filter, removed items are left out. */
    public static ObjectNode query(ObjectMapper json, SearchCriteria c) {
        ObjectNode root = json.createObjectNode();
        ObjectNode bool = root.putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        if (c.categoryId() != null) {
            filter.addObject().putObject("term").put("category_path", c.categoryId());
        }
        if (c.statuses().isEmpty()) {
            bool.putArray("must_not").addObject().putObject("term").put("status", "removed");
        } else {
            ArrayNode s = filter.addObject().putObject("terms").putArray("status");
            c.statuses().forEach(s::add);
        }
        if (c.sourceType() != null) {
            filter.addObject().putObject("term").put("source_type", c.sourceType());
        }
        if (c.shopId() != null) {
            filter.addObject().putObject("term").put("shop_id", c.shopId());
        }
        for (String tag : c.tags()) { // every tag asked for: each one narrows the list
            filter.addObject().putObject("term").put("tags", tag);
        }
        range(filter, "price", c.priceMin(), c.priceMax());
        range(filter, "stock", c.stockMin(), c.stockMax());
        range(filter, "created_at", c.createdFrom(), c.createdTo());
        range(filter, "updated_at", c.updatedFrom(), c.updatedTo());
        if (c.q() != null) {
            ObjectNode mm = bool.putArray("must").addObject().putObject("multi_match");
            mm.put("query", c.q()).put("operator", "and");
            mm.putArray("fields").add("title^3").add("attributes_text");
        }
        return root;
    }

    /** A page of hits: the sort plus item_no as tie-breaker, so searchAfter never skips or repeats. */
    /** The SORTS value of sort=tag_priority: a script sort, not a field. */
    static final String TAG_PRIORITY = "tag_priority";
    private static final String TAG_PRIORITY_SCRIPT = "double best = 0; if (doc.containsKey('tags')) { for (def t : doc['tags']) {"
            + " def p = params.p.get(t); if (p != null && p > best) { best = p; } } } return best;";

    public static ObjectNode itemsRequest(ObjectMapper json, SearchCriteria c) {
        return itemsRequest(json, c, Map.of());
    }

    /** tagPriorities: tag code to priority, used by sort=tag_priority. */
    public static ObjectNode itemsRequest(ObjectMapper json, SearchCriteria c, Map<String, Integer> tagPriorities) {
        return itemsRequest(json, c, tagPriorities, null);
    }

    /** As above; {@code onlyItemIds} (null: no restriction) narrows the filters to exactly these items (a selection). */
    public static ObjectNode itemsRequest(ObjectMapper json, SearchCriteria c, Map<String, Integer> tagPriorities,
                                          java.util.Collection<Long> onlyItemIds) {
        ObjectNode req = json.createObjectNode();
        req.set("query", restricted(query(json, c), onlyItemIds));
        req.put("size", c.size());
        req.put("track_total_hits", true);
        if (c.cursor() == null) {
            req.put("from", c.page() * c.size());
        } else {
            req.set("search_after", c.cursor().values());
        }
        ArrayNode sort = req.putArray("sort");
        String field = SearchCriteria.SORTS.get(c.sortField());
        if (field.equals(TAG_PRIORITY)) {
            ObjectNode script = sort.addObject().putObject("_script");
            script.put("type", "number").put("order", c.sortDescending() ? "desc" : "asc");
            ObjectNode s = script.putObject("script");
            s.put("lang", "painless").put("source", TAG_PRIORITY_SCRIPT);
            ObjectNode p = s.putObject("params").putObject("p");
            tagPriorities.forEach(p::put);
        } else {
            sort.addObject().putObject(field).put("order", c.sortDescending() ? "desc" : "asc");
        }
        if (!field.equals("item_no")) {
            sort.addObject().putObject("item_no").put("order", "asc");
        }
        return req;
    }

    /** Only the hit count of the filters (and selection). */
    public static ObjectNode countRequest(ObjectMapper json, SearchCriteria c, java.util.Collection<Long> onlyItemIds) {
        ObjectNode req = json.createObjectNode();
        req.set("query", restricted(query(json, c), onlyItemIds));
        req.put("size", 0);
        req.put("track_total_hits", true);
        return req;
    }

    /** The bool query with one more filter clause: item_no among the ids (a selection intersected with the filters). */
    private static ObjectNode restricted(ObjectNode query, java.util.Collection<Long> onlyItemIds) {
        if (onlyItemIds != null) {
            ArrayNode ids = ((ArrayNode) query.path("bool").path("filter")).addObject().putObject("terms").putArray("item_no");
            onlyItemIds.forEach(ids::add);
        }
        return query;
    }

    public static ObjectNode facetsRequest(ObjectMapper json, SearchCriteria c) {
        ObjectNode req = json.createObjectNode();
        req.set("query", query(json, c));
        req.put("size", 0);
        req.put("track_total_hits", true);
        ObjectNode aggs = req.putObject("aggs");
        aggs.putObject("categories").putObject("terms").put("field", "category_id").put("size", 500);
        aggs.putObject("category_tree").putObject("terms").put("field", "category_path").put("size", 1000);
        aggs.putObject("statuses").putObject("terms").put("field", "status").put("size", 20);
        return req;
    }

    private static void range(ArrayNode filter, String field, Object from, Object to) {
        if (from == null && to == null) {
            return;
        }
        ObjectNode r = filter.addObject().putObject("range").putObject(field);
        if (from != null) {
            r.putPOJO("gte", from);
        }
        if (to != null) {
            r.putPOJO("lte", to);
        }
    }
}
