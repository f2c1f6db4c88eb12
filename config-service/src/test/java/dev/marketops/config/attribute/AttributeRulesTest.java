package dev.marketops.config.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeRulesTest {

    /** Builds a definition; each scenario states only what it is about. */
    private static final class Def {
        private String code = "concert_name";
        private String type = "text";
        private List<String> enumValues;
        private Map<String, Object> rule;
        private String defaultValue;

        static Def of(String type) {
            Def d = new Def();
            d.type = type;
            return d;
        }

        Def values(String... values) {
            enumValues = List.of(values);
            return this;
        }

        Def rule(Map<String, Object> rule) {
            this.rule = rule;
            return this;
        }

        Def code(String code) {
            this.code = code;
            return this;
        }

        Def defaultValue(String value) {
            defaultValue = value;
            return this;
        }

        List<AttributeRules.Violation> check() {
            return AttributeRules.check(new AttributeDefinition(null, 1, code, "Name", type, true, defaultValue,
                    enumValues, rule, 0, null));
        }
    }

    private static void assertOnly(String field, List<AttributeRules.Violation> violations) {
        assertEquals(1, violations.size(), violations.toString());
        assertEquals(field, violations.getFirst().field());
    }

    @Test
    void theConcertAttributesOfSeed11_2AreValid() {
        assertEquals(List.of(), Def.of("text").rule(Map.of("maxLength", 200)).check());
        assertEquals(List.of(), Def.of("datetime").rule(Map.of("min", "now")).check());
        assertEquals(List.of(), Def.of("enum").values("VIP", "A", "B", "C", "standing").check());
        assertEquals(List.of(), Def.of("integer").rule(Map.of("min", 10, "max", 500)).defaultValue("100").check());
        assertEquals(List.of(), Def.of("decimal").rule(Map.of("min", 0.01)).check());
        assertEquals(List.of(), Def.of("date").rule(Map.of("min", "2026-01-01", "max", "2026-12-31T00:00:00Z")).check());
        assertEquals(List.of(), Def.of("date").rule(Map.of("min", "today")).defaultValue("2026-05-01").check());
        assertEquals(List.of(), Def.of("json").rule(Map.of("maxItems", 20)).check());
        assertEquals(List.of(), Def.of("text").rule(Map.of("pattern", "^[A-Z]{2}\\d+$", "minLength", 3)).check());
    }

    @Test
    void anUnknownTypeIsRefused() {
        assertOnly("type", Def.of("colour").check());
    }

    @Test
    void anEnumNeedsValuesAndOnlyAnEnumMayHaveThem() {
        assertOnly("enumValues", Def.of("enum").check());
        assertOnly("enumValues", Def.of("enum").values().check());
        assertOnly("enumValues", Def.of("text").values("a").check());
        assertOnly("enumValues[1]", Def.of("enum").values("a", "a").check());
    }

    @Test
    void aRuleKeyMustMeanSomethingForTheType() {
        List<AttributeRules.Violation> v = Def.of("integer").rule(Map.of("maxLength", 3)).check();

        assertOnly("validationRule.maxLength", v);
        assertTrue(v.getFirst().reason().contains("allowed: [max, min]"), v.getFirst().reason());
        assertOnly("validationRule.pattern", Def.of("enum").values("a").rule(Map.of("pattern", "a")).check());
    }

    @Test
    void aPatternMustCompile() {
        List<AttributeRules.Violation> v = Def.of("text").rule(Map.of("pattern", "([a-z")).check();

        assertOnly("validationRule.pattern", v);
        assertTrue(v.getFirst().reason().startsWith("is not a valid regular expression"), v.getFirst().reason());
    }

    @Test
    void boundsMustHaveTheShapeOfTheType() {
        assertOnly("validationRule.min", Def.of("integer").rule(Map.of("min", 1.5)).check());
        assertOnly("validationRule.max", Def.of("decimal").rule(Map.of("max", "lots")).check());
        assertOnly("validationRule.min", Def.of("datetime").rule(Map.of("min", "tomorrow")).check());
        assertOnly("validationRule.maxLength", Def.of("text").rule(Map.of("maxLength", -1)).check());
    }

    @Test
    void aLowerBoundAboveTheUpperBoundIsRefused() {
        assertOnly("validationRule.min", Def.of("integer").rule(Map.of("min", 500, "max", 10)).check());
        assertOnly("validationRule.minLength", Def.of("text").rule(Map.of("minLength", 5, "maxLength", 2)).check());
    }

    @Test
    void aDefaultMustFitTheType() {
        assertOnly("defaultValue", Def.of("enum").values("a", "b").defaultValue("c").check());
        assertOnly("defaultValue", Def.of("integer").defaultValue("ten").check());
        assertOnly("defaultValue", Def.of("bool").defaultValue("yes").check());
    }

    @Test
    void aCodeIsLowerSnakeCase() {
        assertOnly("code", Def.of("text").code("Concert Name").check());
    }
}
