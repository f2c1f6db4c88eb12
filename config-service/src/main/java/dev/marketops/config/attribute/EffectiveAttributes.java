package dev.marketops.config.attribute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes a category's listings carry: its ancestors' (root first) then its own, each
 * category's in sort order. A category may redeclare an ancestor's code to narrow it (say a
 * shorter valid_days range); the nearest declaration wins and takes the declaring category's place.
 */
public final class EffectiveAttributes {

    private static final Comparator<AttributeDefinition> ORDER =
            Comparator.comparingInt(AttributeDefinition::sortOrder).thenComparing(AttributeDefinition::code);

    private EffectiveAttributes() {
    }

    /** @param rootFirst the category's ancestors root first, the category last */
    public static List<AttributeDefinition> of(List<Long> rootFirst, List<AttributeDefinition> declared) {
        Map<String, AttributeDefinition> byCode = new LinkedHashMap<>();
        for (long categoryId : rootFirst) {
            declared.stream().filter(a -> a.categoryId() == categoryId).sorted(ORDER).forEach(a -> {
                byCode.remove(a.code());
                byCode.put(a.code(), a);
            });
        }
        return new ArrayList<>(byCode.values());
    }
}
