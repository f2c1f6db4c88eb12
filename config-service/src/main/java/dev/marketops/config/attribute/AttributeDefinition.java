package dev.marketops.config.attribute;

import java.util.List;
import java.util.Map;

/**
 * What a category attribute declares (main seed 4.5.2), independent of storage: the rules
 * and the schema merge work on this, so they can be tested without a database.
 */
public record AttributeDefinition(Long attributeId, long categoryId, String code, String name, String type,
                                  boolean required, String defaultValue, List<String> enumValues,
                                  Map<String, Object> validationRule, int sortOrder, String description) {
}
