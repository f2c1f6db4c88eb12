package dev.marketops.validation.rules;

import dev.marketops.proto.config.CategorySchema;
import dev.marketops.validation.CategoryRule;
import dev.marketops.validation.Values;
import dev.marketops.validation.Violation;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Local-life bundle: at least two sub-items ({"itemId": 1, "quantity": 1, "price": 30}), each
 * with a positive quantity and a price, and the bundle is not dearer than its parts bought
 * one by one.
 */
public final class BundleRule implements CategoryRule {

    @Override
    public Set<String> categoryCodes() {
        return Set.of("LOCAL_BUNDLE");
    }

    @Override
    public String name() {
        return "bundle_sub_items_and_price";
    }

    @Override
    public List<Violation> check(Map<String, Object> data, CategorySchema schema, Clock clock) {
        if (!(data.get("sub_items") instanceof List<?> items)) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        if (items.size() < 2) {
            out.add(new Violation("sub_items", name(), items.size(), "a bundle needs at least two sub-items"));
        }
        BigDecimal sum = BigDecimal.ZERO;
        boolean allPriced = true;
        for (int i = 0; i < items.size(); i++) {
            String field = "sub_items[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                out.add(new Violation(field, name(), items.get(i), "must be {\"itemId\", \"quantity\", \"price\"}"));
                continue;
            }
            if (Values.decimal(item.get("itemId")).isEmpty()) {
                out.add(new Violation(field + ".itemId", name(), item.get("itemId"), "must name the sub-item"));
            }
            var qty = Values.decimal(item.get("quantity")).filter(q -> q.signum() > 0);
            var price = Values.decimal(item.get("price")).filter(p -> p.signum() >= 0);
            if (qty.isEmpty()) {
                out.add(new Violation(field + ".quantity", name(), item.get("quantity"), "must be a positive number"));
            }
            if (price.isEmpty()) {
                out.add(new Violation(field + ".price", name(), item.get("price"), "must be a price of zero or more"));
            }
            if (qty.isPresent() && price.isPresent()) {
                sum = sum.add(qty.get().multiply(price.get()));
            } else {
                allPriced = false;
            }
        }
        if (!allPriced) {
            return out; // the sum of the parts is unknown; the broken sub-items are already reported
        }
        BigDecimal total = sum;
        Values.decimal(data.get("bundle_price")).filter(p -> p.compareTo(total) > 0).ifPresent(p ->
                out.add(new Violation("bundle_price", name(), p.toPlainString(),
                        "is above the sub-items bought separately (" + total.toPlainString() + ")")));
        return out;
    }
}
