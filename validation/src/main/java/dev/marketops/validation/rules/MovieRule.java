package dev.marketops.validation.rules;

import dev.marketops.proto.config.CategoryAttribute;
import dev.marketops.proto.config.CategorySchema;
import dev.marketops.validation.CategoryRule;
import dev.marketops.validation.Values;
import dev.marketops.validation.Violation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Movie: the show is in the future, and the seat map agrees with the ticket types: every
 * seat ({"seat": "A1", "ticket_type": "standard"}) once, with a configured ticket type.
 */
public final class MovieRule implements CategoryRule {

    @Override
    public Set<String> categoryCodes() {
        return Set.of("MOVIE");
    }

    @Override
    public String name() {
        return "movie_session_and_seats";
    }

    @Override
    public List<Violation> check(Map<String, Object> data, CategorySchema schema, Clock clock) {
        List<Violation> out = new ArrayList<>();
        Values.instant(data.get("show_time")).filter(t -> !t.isAfter(clock.instant())).ifPresent(t ->
                out.add(new Violation("show_time", name(), t, "the show has already started")));
        if (data.get("seats") instanceof List<?> seats) {
            List<String> ticketTypes = schema.getAttributesList().stream()
                    .filter(a -> a.getAttributeCode().equals("ticket_type"))
                    .findFirst().<List<String>>map(CategoryAttribute::getEnumValuesList).orElse(List.of());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < seats.size(); i++) {
                String field = "seats[" + i + "]";
                // A seat is a seat number, or {"seat": ..., "ticket_type": ...} when types differ by seat.
                Object entry = seats.get(i);
                String number = entry instanceof String s ? s
                        : entry instanceof Map<?, ?> m && m.get("seat") instanceof String s ? s : null;
                if (number == null) {
                    out.add(new Violation(field, name(), entry, "must be a seat number or {\"seat\": ..., \"ticket_type\": ...}"));
                    continue;
                }
                if (!seen.add(number)) {
                    out.add(new Violation(entry instanceof Map ? field + ".seat" : field, name(), number, "seat " + number + " is listed twice"));
                }
                if (entry instanceof Map<?, ?> seat && !ticketTypes.isEmpty() && !ticketTypes.contains(seat.get("ticket_type"))) {
                    out.add(new Violation(field + ".ticket_type", name(), seat.get("ticket_type"), "must be one of " + ticketTypes));
                }
            }
        }
        return out;
    }
}
