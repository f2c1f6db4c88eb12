package dev.marketops.config.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectiveAttributesTest {

    private static AttributeDefinition attr(long categoryId, String code, int sortOrder) {
        return new AttributeDefinition((long) code.hashCode(), categoryId, code, code, "text", false, null, null,
                Map.of(), sortOrder, null);
    }

    private static List<String> codes(List<AttributeDefinition> attributes) {
        return attributes.stream().map(a -> a.categoryId() + ":" + a.code()).toList();
    }

    @Test
    void ancestorsAttributesComeFirstEachCategoryInSortOrder() {
        List<AttributeDefinition> declared = List.of(
                attr(5101, "seat_zone", 2), attr(5101, "concert_name", 1),
                attr(5000, "venue", 1), attr(5100, "show_time", 1), attr(9999, "elsewhere", 1));

        List<AttributeDefinition> effective = EffectiveAttributes.of(List.of(5000L, 5100L, 5101L), declared);

        assertEquals(List.of("5000:venue", "5100:show_time", "5101:concert_name", "5101:seat_zone"), codes(effective));
    }

    @Test
    void aCategoryRedeclaringAnAncestorsCodeOverridesIt() {
        List<AttributeDefinition> declared = List.of(
                attr(1000, "valid_days", 1), attr(1000, "name", 2), attr(1200, "valid_days", 1));

        List<AttributeDefinition> effective = EffectiveAttributes.of(List.of(1000L, 1200L), declared);

        assertEquals(List.of("1000:name", "1200:valid_days"), codes(effective));
    }
}
