package dev.marketops.validation;

import dev.marketops.proto.config.CategorySchema;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A category's business rule that configuration cannot express (main seed 5.4). A new
 * category needs one only for such rules; its attributes alone are validated by
 * {@link AttributeValidator} with no code at all.
 */
public interface CategoryRule {

    /** The category codes the rule applies to. */
    Set<String> categoryCodes();

    String name();

    List<Violation> check(Map<String, Object> itemData, CategorySchema schema, Clock clock);
}
