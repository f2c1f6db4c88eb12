package dev.marketops.supplier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hotel calendars: hotel x room type, one item each, with a price and an allotment per night.
 * The nights must be consecutive (no gaps) and not in the past; status closed takes the room offline.
 * Record: {externalId, version, updatedAt?, categoryId?, hotel, roomType, starRating?, guestCapacity?, bedType?,
 * status: open|closed, calendar: [{date, price (yuan), allotment}]}.
 */
@ApplicationScoped
public class HotelAdapter implements SupplierAdapter {

    public static final long HOTEL_CATEGORY = 2100;

    @Override
    public String kind() {
        return "hotel";
    }

    @Override
    public SupplierRecord map(JsonNode r) {
        String id = Records.text(r, "externalId");
        long version = Records.version(r);
        long category = r.hasNonNull("categoryId") ? r.get("categoryId").asLong() : HOTEL_CATEGORY;
        String status = Records.status(r, "open", "closed");
        String hotel = Records.text(r, "hotel");
        String room = Records.text(r, "roomType");
        JsonNode cal = r.get("calendar");
        if (cal == null || !cal.isArray() || cal.isEmpty()) {
            throw RecordProblem.missing("calendar");
        }
        if (cal.size() > 400) {
            throw RecordProblem.invalid("calendar", "has more than 400 nights");
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        TreeMap<LocalDate, SupplierRecord.Slot> nights = new TreeMap<>();
        for (int i = 0; i < cal.size(); i++) {
            JsonNode n = cal.get(i);
            String f = "calendar[" + i + "]";
            LocalDate d;
            long price;
            long allotment;
            try {
                d = Records.date(n, "date");
                price = Records.cents(n, "price");
                allotment = Records.nonNegative(n, "allotment");
            } catch (RecordProblem p) {
                throw new RecordProblem(p.code(), f + "." + p.field(), f + ": " + p.getMessage());
            }
            if (d.isBefore(today)) {
                throw new RecordProblem("DATE_IN_PAST", f + ".date", "the night " + d + " has passed");
            }
            if (nights.put(d, new SupplierRecord.Slot(d.toString(), price, allotment)) != null) {
                throw RecordProblem.invalid(f + ".date", "repeats the night " + d);
            }
        }
        LocalDate prev = null;
        for (LocalDate d : nights.keySet()) {
            if (prev != null && !prev.plusDays(1).equals(d)) {
                throw new RecordProblem("CALENDAR_GAP", "calendar", "no price for " + prev.plusDays(1) + " (gap)");
            }
            prev = d;
        }
        List<Map<String, Object>> calendar = new ArrayList<>();
        nights.values().forEach(s -> calendar.add(Map.of("date", s.slot(), "price", s.priceCents() / 100.0, "stock", s.stock())));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("hotel_name", hotel);
        data.put("room_type", room);
        data.put("star_rating", Records.optionalText(r, "starRating", "3-star"));
        data.put("guest_capacity", r.hasNonNull("guestCapacity") ? r.get("guestCapacity").asInt() : 2);
        // no made-up bed type: one the category does not know ("double" was) refused every such room at
        // submit; without one the category's rules name what is missing
        String bed = Records.optionalText(r, "bedType", null);
        if (bed != null) {
            data.put("bed_type", bed);
        }
        data.put("price_calendar", calendar);
        return new SupplierRecord(id, version, category, hotel + " - " + room, data, List.copyOf(nights.values()),
                "closed".equals(status), nights.lastKey().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                Records.optionalInstant(r, "updatedAt"));
    }
}
