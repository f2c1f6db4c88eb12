package dev.marketops.config.auditconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.config.auditconfig.AuditStrategyResolver.Decision;
import dev.marketops.config.auditconfig.AuditStrategyResolver.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditStrategyResolverTest {

    private static final long CONCERT = 5101;
    private static final long PERFORMANCE = 5100;
    private static final long ENTERTAINMENT = 5000;
    private static final List<Long> CONCERT_LINEAGE = List.of(CONCERT, PERFORMANCE, ENTERTAINMENT);

    /** Small builder for the rows a scenario configures. */
    private static final class Rows {
        private final List<Rule> rows = new ArrayList<>();
        private long nextId = 1;

        Rows row(long categoryId, String sourceType, String userType, String strategy) {
            rows.add(new Rule(nextId++, categoryId, sourceType, userType, strategy, Map.of("row", nextId - 1)));
            return this;
        }

        List<Rule> build() {
            return rows;
        }
    }

    @Test
    void anExactRowForTheCategorySourceAndUserTypeWins() {
        List<Rule> rows = new Rows()
                .row(CONCERT, "merchant_portal", null, "auto")
                .row(CONCERT, "merchant_portal", "merchant", "manual")
                .build();

        Decision d = AuditStrategyResolver.resolve(CONCERT_LINEAGE, "merchant_portal", "merchant", rows);

        assertEquals("manual", d.strategy());
        assertTrue(d.configured());
        assertEquals(2L, d.configId());
        assertEquals(CONCERT, d.matchedCategoryId());
        assertEquals(Map.of("row", 2L), d.validationRules());
        assertTrue(d.reason().contains("user type merchant"), d.reason());
    }

    @Test
    void aRowForAnyUserTypeAppliesWhenNoRowNamesTheUserType() {
        List<Rule> rows = new Rows()
                .row(CONCERT, "api", "system", "fast_track")
                .row(CONCERT, "api", null, "auto")
                .build();

        Decision d = AuditStrategyResolver.resolve(CONCERT_LINEAGE, "api", "merchant", rows);

        assertEquals("auto", d.strategy());
        assertEquals(2L, d.configId());
        assertTrue(d.reason().contains("any user type"), d.reason());
    }

    @Test
    void aRequestWithoutUserTypeMatchesOnlyAnyUserTypeRows() {
        List<Rule> rows = new Rows().row(CONCERT, "api", "system", "fast_track").build();

        Decision d = AuditStrategyResolver.resolve(CONCERT_LINEAGE, "api", null, rows);

        assertFalse(d.configured());
        assertEquals("auto", d.strategy());
    }

    @Test
    void theCategoryOwnAnyUserRowBeatsAnAncestorsExactRow() {
        List<Rule> rows = new Rows()
                .row(PERFORMANCE, "operator_form", "operator", "manual")
                .row(CONCERT, "operator_form", null, "skip")
                .build();

        Decision d = AuditStrategyResolver.resolve(CONCERT_LINEAGE, "operator_form", "operator", rows);

        assertEquals("skip", d.strategy());
        assertEquals(CONCERT, d.matchedCategoryId());
    }

    @Test
    void withoutAnOwnRowTheNearestAncestorDecides() {
        List<Rule> rows = new Rows()
                .row(ENTERTAINMENT, "supplier_push", "system", "manual")
                .row(PERFORMANCE, "supplier_push", null, "auto")
                .build();

        Decision d = AuditStrategyResolver.resolve(CONCERT_LINEAGE, "supplier_push", "system", rows);

        assertEquals("auto", d.strategy());
        assertEquals(PERFORMANCE, d.matchedCategoryId());
        assertTrue(d.reason().contains("ancestor category " + PERFORMANCE), d.reason());
    }

    @Test
    void rowsOfOtherSourcesAndOtherCategoriesAreIgnored() {
        List<Rule> rows = new Rows()
                .row(CONCERT, "merchant_app", "merchant", "skip")
                .row(42, "supplier_pull", "system", "skip")
                .build();

        Decision d = AuditStrategyResolver.resolve(CONCERT_LINEAGE, "supplier_pull", "system", rows);

        assertFalse(d.configured());
        assertEquals("fast_track", d.strategy());
        assertNull(d.configId());
        assertNull(d.matchedCategoryId());
        assertTrue(d.reason().startsWith("no configuration for category " + CONCERT), d.reason());
    }

    @ParameterizedTest(name = "{0} by {1} defaults to {2}")
    @CsvSource(nullValues = "null", value = {
            "supplier_push,   system,   fast_track",
            "supplier_pull,   system,   fast_track",
            "operator_form,   operator, skip",
            "excel_batch,     operator, skip",
            "operator_form,   merchant, manual",
            "excel_batch,     null,     manual",
            "merchant_portal, merchant, manual",
            "merchant_app,    merchant, manual",
            "api,             system,   auto",
            "fax_machine,     operator, manual"})
    void withNothingConfiguredTheSourceTypeDecides(String sourceType, String userType, String expected) {
        Decision d = AuditStrategyResolver.resolve(CONCERT_LINEAGE, sourceType, userType, List.of());

        assertEquals(expected, d.strategy());
        assertFalse(d.configured());
        assertTrue(d.reason().contains("default for source " + sourceType), d.reason());
    }
}
