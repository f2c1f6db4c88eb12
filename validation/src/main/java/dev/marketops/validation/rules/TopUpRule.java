package dev.marketops.validation.rules;

import dev.marketops.proto.config.CategorySchema;
import dev.marketops.validation.CategoryRule;
import dev.marketops.validation.Values;
import dev.marketops.validation.Violation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Top-up: the denomination's range is configuration (the attribute's min/max, checked with
 * the attributes); what is left is that a top-up is never sold above its denomination.
 */
public final class TopUpRule implements CategoryRule {

    @Override
    public Set<String> categoryCodes() {
        return Set.of("TOPUP");
    }

    @Override
    public String name() {
        return "topup_price_not_above_denomination";
    }

    @Override
    public List<Violation> check(Map<String, Object> data, CategorySchema schema, Clock clock) {
        List<Violation> out = new ArrayList<>();
        var denomination = Values.decimal(data.get("denomination"));
        var sale = Values.decimal(data.get("sale_price"));
        if (denomination.isPresent() && sale.isPresent() && sale.get().compareTo(denomination.get()) > 0) {
            out.add(new Violation("sale_price", name(), sale.get().toPlainString(),
                    "sale price is above the denomination " + denomination.get().toPlainString()));
        }
        return out;
    }
}
