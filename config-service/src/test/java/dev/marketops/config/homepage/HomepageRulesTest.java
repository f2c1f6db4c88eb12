package dev.marketops.config.homepage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HomepageRulesTest {

    private static Entrance entrance(String code, String name, String... categories) {
        return new Entrance(code, name, null, null, 1, List.of(categories), List.of(), List.of(), List.of());
    }

    @Test
    void theDiffNamesAddedRemovedAndChangedEntrances() {
        List<Entrance> before = List.of(entrance("FOOD", "Food", "1100"), entrance("HOTEL", "Hotels", "2100"));
        List<Entrance> after = List.of(entrance("FOOD", "Food & drink", "1100", "1101"), entrance("TOPUP", "Top-up", "4100"));

        Map<String, Object> diff = HomepageRules.diff(before, after);

        assertEquals(List.of("TOPUP"), diff.get("added"));
        assertEquals(List.of("HOTEL"), diff.get("removed"));
        assertEquals(List.of(Map.of("code", "FOOD", "fields", List.of("name", "categoryIds"))), diff.get("changed"));
    }

    @Test
    void duplicateCodesMissingNamesAndBadIdsAreViolations() {
        List<HomepageRules.Violation> v = HomepageRules.check(List.of(
                entrance("FOOD", "Food", "1100"), entrance("FOOD", "", "abc")));
        assertEquals(List.of("code", "name", "categoryIds"), v.stream().map(HomepageRules.Violation::field).toList());
        assertTrue(v.stream().allMatch(x -> x.entrance() == 1));
    }
}
