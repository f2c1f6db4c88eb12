package dev.marketops.audit.metrics;

import dev.marketops.platform.metrics.CategoryLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code listing_audit_strategy_total{source_type, audit_strategy, category}} (main seed 8.2): one per
 * audit decision taken by a strategy (single and batch audits alike), so the routing of 3.2 can be
 * watched per source. A combination appears with its first decision.
 */
@ApplicationScoped
public class AuditMetrics {

    @Inject
    MeterRegistry meters;
    @Inject
    CategoryLabels categories;

    public void decided(String sourceType, String auditStrategy, long categoryId) {
        Counter.builder("listing_audit_strategy_total").description("audit decisions by the strategy that took them")
                .tag("source_type", sourceType == null || sourceType.isEmpty() ? "unknown" : sourceType)
                .tag("audit_strategy", auditStrategy).tag("category", categories.of(categoryId))
                .register(meters).increment();
    }
}
