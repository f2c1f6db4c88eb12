package dev.marketops.supplier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Movie sessions: cinema x session (hall, show time) x seat area x ticket type, one item each.
 * A scheduled session must start in the future and within a year; a cancelled one takes the item offline.
 * Record: {externalId, version, updatedAt?, categoryId?, cinema, hall?, movie, seatArea?, ticketType, showTime,
 * price (yuan), seats: [seat ids] | availableSeats: n, status: scheduled|cancelled}.
 */
@ApplicationScoped
public class MovieAdapter implements SupplierAdapter {

    public static final long MOVIE_CATEGORY = 3100;
    Clock clock = Clock.systemUTC();

    @Override
    public String kind() {
        return "movie";
    }

    @Override
    public SupplierRecord map(JsonNode r) {
        String id = Records.text(r, "externalId");
        long version = Records.version(r);
        long category = r.hasNonNull("categoryId") ? r.get("categoryId").asLong() : MOVIE_CATEGORY;
        String status = Records.status(r, "scheduled", "cancelled");
        String cinema = Records.text(r, "cinema");
        String movie = Records.text(r, "movie");
        String ticketType = Records.text(r, "ticketType");
        String hall = Records.optionalText(r, "hall", null);
        String area = Records.optionalText(r, "seatArea", null);
        Instant show = Records.instant(r, "showTime");
        String showTime = show.truncatedTo(ChronoUnit.SECONDS).toString();
        boolean cancelled = "cancelled".equals(status);
        if (!cancelled && !show.isAfter(clock.instant())) {
            throw new RecordProblem("SESSION_IN_PAST", "showTime", "the session starts at " + showTime + ", which has passed");
        }
        if (!cancelled && show.isAfter(clock.instant().plus(366, ChronoUnit.DAYS))) {
            throw new RecordProblem("SESSION_TOO_FAR", "showTime", "a session more than a year ahead is refused");
        }
        long price = Records.cents(r, "price");
        List<String> seats = new ArrayList<>();
        long available;
        if (r.get("seats") != null && r.get("seats").isArray()) {
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            r.get("seats").forEach(s -> unique.add(s.asText()));
            if (unique.size() != r.get("seats").size()) {
                throw RecordProblem.invalid("seats", "lists a seat twice");
            }
            seats.addAll(unique);
            available = seats.size();
        } else {
            available = Records.nonNegative(r, "availableSeats");
            for (int i = 1; i <= Math.min(available, 2000); i++) {
                seats.add((area == null ? "S" : area) + i);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("movie_name", movie);
        data.put("cinema_name", cinema);
        data.put("ticket_type", ticketType);
        data.put("show_time", showTime);
        data.put("ticket_price", price / 100.0);
        data.put("seats", seats);
        if (hall != null) {
            data.put("hall", hall);
        }
        if (area != null) {
            data.put("seat_area", area);
        }
        String title = movie + " - " + cinema + (hall == null ? "" : " " + hall) + " " + showTime + " " + ticketType
                + (area == null ? "" : " " + area);
        return new SupplierRecord(id, version, category, title, data,
                List.of(new SupplierRecord.Slot(showTime, price, available)), cancelled, show,
                Records.optionalInstant(r, "updatedAt"));
    }
}
