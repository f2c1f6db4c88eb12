package dev.marketops.validation.rules;

import dev.marketops.proto.config.CategorySchema;
import dev.marketops.validation.CategoryRule;
import dev.marketops.validation.Values;
import dev.marketops.validation.Violation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Deal and gift card: a voucher is never sold above its face value. */
public final class VoucherPriceRule implements CategoryRule {

    @Override
    public Set<String> categoryCodes() {
        return Set.of("DEAL", "GIFTCARD");
    }

    @Override
    public String name() {
        return "voucher_price_not_above_face_value";
    }

    @Override
    public List<Violation> check(Map<String, Object> data, CategorySchema schema, Clock clock) {
        var face = Values.decimal(data.get("face_value"));
        var sale = Values.decimal(data.get("sale_price"));
        if (face.isPresent() && sale.isPresent() && sale.get().compareTo(face.get()) > 0) {
            return List.of(new Violation("sale_price", name(), sale.get().toPlainString(),
                    "sale price " + sale.get().toPlainString() + " is above the face value " + face.get().toPlainString()));
        }
        return List.of();
    }
}
