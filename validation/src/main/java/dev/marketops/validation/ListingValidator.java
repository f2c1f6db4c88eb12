package dev.marketops.validation;

import dev.marketops.proto.config.CategorySchema;
import dev.marketops.validation.rules.BundleRule;
import dev.marketops.validation.rules.HotelRule;
import dev.marketops.validation.rules.MovieRule;
import dev.marketops.validation.rules.TopUpRule;
import dev.marketops.validation.rules.VoucherPriceRule;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The validation engine: configured attribute rules for every category, then its business rules. */
public final class ListingValidator {

    private final List<CategoryRule> rules;
    private final Clock clock;

    public ListingValidator(List<CategoryRule> rules, Clock clock) {
        this.rules = List.copyOf(rules);
        this.clock = clock;
    }

    /** The engine with the built-in rules of the seven seed categories. */
    public static ListingValidator standard(Clock clock) {
        return new ListingValidator(List.of(new HotelRule(), new MovieRule(), new VoucherPriceRule(), new TopUpRule(),
                new BundleRule()), clock);
    }

    public ValidationResult validate(CategorySchema schema, Map<String, Object> itemData, ValidationLevel level) {
        Map<String, Object> data = itemData == null ? Map.of() : itemData;
        List<String> applied = new ArrayList<>();
        applied.add("attributes");
        List<Violation> violations = new ArrayList<>(AttributeValidator.validate(schema.getAttributesList(), data, clock));
        if (level == ValidationLevel.FULL) {
            String code = schema.getCategory().getCategoryCode();
            for (CategoryRule rule : rules) {
                if (rule.categoryCodes().contains(code)) {
                    applied.add(rule.name());
                    violations.addAll(rule.check(data, schema, clock));
                }
            }
        }
        return new ValidationResult(level, applied, violations);
    }
}
