package dev.marketops.search.index;

/**
 * The explicit mapping of the items index (no dynamic fields: a new attribute of some
 * category never adds a field; attribute values are searched through attributes_text).
 */
final class IndexMapping {

    private IndexMapping() {
    }

    static String definition() {
        return """
                {
                  "settings": {"number_of_shards": 1, "number_of_replicas": 0},
                  "mappings": {
                    "dynamic": false,
                    "properties": {
                      "item_id":         {"type": "keyword"},
                      "item_no":         {"type": "long"},
                      "category_id":     {"type": "keyword"},
                      "category_path":   {"type": "long"},
                      "shop_id":         {"type": "keyword"},
                      "status":          {"type": "keyword"},
                      "source_type":     {"type": "keyword"},
                      "tags":            {"type": "keyword"},
                      "title":           {"type": "text"},
                      "attributes_text": {"type": "text"},
                      "price":           {"type": "scaled_float", "scaling_factor": 100},
                      "price_cents":     {"type": "long"},
                      "face_value":      {"type": "scaled_float", "scaling_factor": 100},
                      "stock":           {"type": "long"},
                      "version":         {"type": "long"},
                      "created_at":      {"type": "date", "format": "epoch_millis"},
                      "updated_at":      {"type": "date", "format": "epoch_millis"},
                      "first_online_at": {"type": "date", "format": "epoch_millis"},
                      "skus":            {"type": "object", "enabled": false}
                    }
                  }
                }
                """;
    }
}
