package dev.marketops.supplier;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Supplier records in the suppliers' own JSON (docs: supplier-sync-service README). */
final class SupplierRecords {

    private SupplierRecords() {
    }

    static final String SHOW = OffsetDateTime.now(ZoneOffset.UTC).plusDays(5).truncatedTo(ChronoUnit.HOURS).toInstant().toString();

    static String movie(String externalId, long version, double price, int seats, String status) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 1; i <= seats; i++) {
            s.append(i > 1 ? "," : "").append("\"B").append(i).append('"');
        }
        s.append(']');
        return """
                {"externalId": "%s", "version": %d, "updatedAt": "%s", "cinema": "Harbour Cinema", "hall": "Hall 3",
                 "movie": "The Long Night", "seatArea": "Stalls", "ticketType": "IMAX", "showTime": "%s", "price": %s,
                 "seats": %s, "status": "%s"}""".formatted(externalId, version, OffsetDateTime.now(ZoneOffset.UTC), SHOW, price, s, status);
    }

    static String hotel(String externalId, long version, double price, int allotment) {
        LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(2);
        return """
                {"externalId": "%s", "version": %d, "hotel": "Sea View Hotel", "roomType": "Deluxe %s", "starRating": "4-star",
                 "guestCapacity": 2, "bedType": "king", "status": "open",
                 "calendar": [{"date": "%s", "price": %s, "allotment": %d}, {"date": "%s", "price": %s, "allotment": %d}]}"""
                .formatted(externalId, version, externalId, d, price, allotment, d.plusDays(1), price + 20, allotment);
    }
}
