package dev.marketops.config.auditconfig;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place that decides which audit strategy a listing gets (main seed 3.3.5).
 * Order: the category's row for (source type, user type), then its row for the source type
 * with any user type, then the same for each ancestor, nearest first; when nothing is
 * configured, a default by source type (seed 1.2.2) that errs towards manual review.
 */
public final class AuditStrategyResolver {

    /** An active configuration row, as the resolver needs it. A null sourceUserType means any user type. */
    public record Rule(long configId, long categoryId, String sourceType, String sourceUserType, String strategy,
                       Map<String, Object> validationRules) {
    }

    /** The outcome; configId and matchedCategoryId are null when the default applied. */
    public record Decision(String strategy, boolean configured, Long configId, Long matchedCategoryId,
                           Map<String, Object> validationRules, String reason) {
    }

    private AuditStrategyResolver() {
    }

    /**
     * @param lineage the category first, then its ancestors nearest first
     * @param rules   active rows of any of those categories (rows of other sources are ignored)
     */
    public static Decision resolve(List<Long> lineage, String sourceType, String sourceUserType, Collection<Rule> rules) {
        String userType = sourceUserType == null || sourceUserType.isBlank() ? null : sourceUserType;
        for (int depth = 0; depth < lineage.size(); depth++) {
            long categoryId = lineage.get(depth);
            String where = depth == 0 ? "category " + categoryId : "ancestor category " + categoryId;
            if (userType != null) {
                Optional<Rule> exact = find(rules, categoryId, sourceType, userType);
                if (exact.isPresent()) {
                    return configured(exact.get(), "configured for " + where + ", source " + sourceType
                            + ", user type " + userType);
                }
            }
            Optional<Rule> anyUser = find(rules, categoryId, sourceType, null);
            if (anyUser.isPresent()) {
                return configured(anyUser.get(), "configured for " + where + ", source " + sourceType
                        + ", any user type");
            }
        }
        Decision fallback = defaultFor(sourceType, userType);
        return new Decision(fallback.strategy(), false, null, null, Map.of(),
                "no configuration for category " + (lineage.isEmpty() ? "?" : lineage.get(0))
                        + " or its ancestors; " + fallback.reason());
    }

    /** The default when nothing is configured: trusted feeds go fast, internal staff skip, the rest is reviewed. */
    public static Decision defaultFor(String sourceType, String sourceUserType) {
        String strategy;
        String why;
        switch (sourceType == null ? "" : sourceType) {
            case "supplier_push", "supplier_pull" -> {
                strategy = "fast_track";
                why = "partner supplier feeds are trusted";
            }
            case "operator_form", "excel_batch" -> {
                boolean operator = "operator".equals(sourceUserType);
                strategy = operator ? "skip" : "manual";
                why = operator ? "uploads by internal operators are trusted"
                        : "an operator channel used by " + (sourceUserType == null ? "an unnamed user type"
                        : "user type " + sourceUserType) + " is reviewed by hand";
            }
            case "merchant_portal", "merchant_app" -> {
                strategy = "manual";
                why = "merchant uploads are reviewed by hand";
            }
            case "api" -> {
                strategy = "auto";
                why = "third-party API imports pass automatic checks";
            }
            default -> {
                strategy = "manual";
                why = "an unknown source is reviewed by hand";
            }
        }
        return new Decision(strategy, false, null, null, Map.of(),
                "default for source " + sourceType + " is " + strategy + " (" + why + ")");
    }

    private static Optional<Rule> find(Collection<Rule> rules, long categoryId, String sourceType, String userType) {
        return rules.stream()
                .filter(r -> r.categoryId() == categoryId && r.sourceType().equals(sourceType)
                        && Objects.equals(r.sourceUserType(), userType))
                .findFirst();
    }

    private static Decision configured(Rule r, String reason) {
        return new Decision(r.strategy(), true, r.configId(), r.categoryId(),
                r.validationRules() == null ? Map.of() : r.validationRules(), reason + ": " + r.strategy()
                + " (config " + r.configId() + ")");
    }
}
