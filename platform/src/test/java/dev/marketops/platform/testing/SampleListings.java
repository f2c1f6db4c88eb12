package dev.marketops.platform.testing;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Valid item data for each seed category (config-service's V2 attributes), to build test listings from. */
public final class SampleListings {

    public static final long DEAL = 1200, OPV = 1300, BUNDLE = 1400, HOTEL = 2100, MOVIE = 3100, TOPUP = 4100, GIFTCARD = 4200;
    public static final List<Long> SEVEN = List.of(DEAL, OPV, BUNDLE, HOTEL, MOVIE, TOPUP, GIFTCARD);

    private SampleListings() {
    }

    public static Map<String, Object> itemData(long categoryId) {
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        Map<String, Object> m = new HashMap<>();
        switch ((int) categoryId) {
            case 1200 -> m.putAll(Map.of("face_value", 100, "sale_price", 88, "valid_days", 90));
            case 1300 -> m.putAll(Map.of("service_name", "Car wash", "price", 39.9, "quantity", 100, "valid_days", 30));
            case 1400 -> m.putAll(Map.of("bundle_price", 99, "valid_days", 30, "sub_items", List.of(
                    Map.of("itemId", 1, "quantity", 1, "price", 60), Map.of("itemId", 2, "quantity", 2, "price", 30))));
            case 2100 -> m.putAll(Map.of("star_rating", "4-star", "guest_capacity", 2, "bed_type", "king",
                    "price_calendar", List.of(Map.of("date", tomorrow.toString(), "price", 399),
                            Map.of("date", tomorrow.plusDays(1).toString(), "price", 420))));
            case 3100 -> m.putAll(Map.of("movie_name", "The Long Night", "cinema_name", "Harbour Cinema",
                    "ticket_type", "IMAX", "show_time", OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0).toString(),
                    "seats", List.of("A1", "A2")));
            case 4100 -> m.putAll(Map.of("carrier", "China Mobile", "denomination", 50, "sale_price", 49.5));
            case 4200 -> m.putAll(Map.of("face_value", 200, "sale_price", 190, "card_type", "generated"));
            default -> throw new IllegalArgumentException("no sample for category " + categoryId);
        }
        return m;
    }

    /** A REST body creating a draft of this category from this source. */
    public static Map<String, Object> draft(long categoryId, String sourceType, String sourceUserType) {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryId", categoryId);
        body.put("title", "Sample " + categoryId + " from " + sourceType);
        body.put("sourceType", sourceType);
        body.put("sourceUserType", sourceUserType);
        body.put("creatorId", 42);
        body.put("itemData", itemData(categoryId));
        return body;
    }
}
