package dev.marketops.validation.rules;

import dev.marketops.proto.config.CategorySchema;
import dev.marketops.validation.CategoryRule;
import dev.marketops.validation.Values;
import dev.marketops.validation.Violation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hotel price calendar: one entry per night ({"date": "2027-01-01", "price": 399}), every
 * date today or later, no date twice, no gap between the first and the last night, every
 * price above zero.
 */
public final class HotelRule implements CategoryRule {

    @Override
    public Set<String> categoryCodes() {
        return Set.of("HOTEL");
    }

    @Override
    public String name() {
        return "hotel_price_calendar";
    }

    @Override
    public List<Violation> check(Map<String, Object> data, CategorySchema schema, Clock clock) {
        if (!(data.get("price_calendar") instanceof List<?> calendar)) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        TreeSet<LocalDate> dates = new TreeSet<>();
        for (int i = 0; i < calendar.size(); i++) {
            String field = "price_calendar[" + i + "]";
            if (!(calendar.get(i) instanceof Map<?, ?> night)) {
                out.add(new Violation(field, name(), calendar.get(i), "must be {\"date\": ..., \"price\": ...}"));
                continue;
            }
            var date = Values.date(night.get("date"));
            if (date.isEmpty()) {
                out.add(new Violation(field + ".date", name(), night.get("date"), "must be an ISO date"));
                continue;
            }
            if (date.get().isBefore(today)) {
                out.add(new Violation(field + ".date", name(), date.get(), "is in the past"));
            }
            if (!dates.add(date.get())) {
                out.add(new Violation(field + ".date", name(), date.get(), "appears twice in the calendar"));
            }
            var price = Values.decimal(night.get("price"));
            if (price.isEmpty() || price.get().compareTo(BigDecimal.ZERO) <= 0) {
                out.add(new Violation(field + ".price", name(), night.get("price"), "must be a price above zero"));
            }
        }
        if (!dates.isEmpty()) {
            for (LocalDate d = dates.first(); d.isBefore(dates.last()); d = d.plusDays(1)) {
                if (!dates.contains(d)) {
                    out.add(new Violation("price_calendar", name(), d, "has no price for " + d + " (gap)"));
                }
            }
        }
        return out;
    }
}
