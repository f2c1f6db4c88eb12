package dev.marketops.supplier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A daily voucher/deal feed: one item per deal with face value, sale price and validity.
 * Record: {externalId, version, updatedAt?, categoryId?, title, faceValue, salePrice, validDays, stock?, validUntil?, status: active|withdrawn}.
 */
@ApplicationScoped
public class DealFeedAdapter implements SupplierAdapter {

    public static final long DEAL_CATEGORY = 1200;

    @Override
    public String kind() {
        return "deal_feed";
    }

    @Override
    public SupplierRecord map(JsonNode r) {
        String id = Records.text(r, "externalId");
        long version = Records.version(r);
        long category = r.hasNonNull("categoryId") ? r.get("categoryId").asLong() : DEAL_CATEGORY;
        String status = Records.status(r, "active", "withdrawn");
        String title = Records.text(r, "title");
        long face = Records.cents(r, "faceValue");
        long sale = Records.cents(r, "salePrice");
        if (sale > face) {
            throw new RecordProblem("SALE_ABOVE_FACE", "salePrice", "the sale price is above the face value");
        }
        long validDays = Records.nonNegative(r, "validDays");
        if (validDays < 1 || validDays > 3650) {
            throw RecordProblem.invalid("validDays", "must be between 1 and 3650");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("face_value", face / 100.0);
        data.put("sale_price", sale / 100.0);
        data.put("valid_days", validDays);
        var expires = r.hasNonNull("validUntil") ? Records.date(r, "validUntil").plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() : null;
        if (expires != null && !expires.isAfter(LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant())) {
            throw new RecordProblem("DATE_IN_PAST", "validUntil", "the deal is no longer valid");
        }
        return new SupplierRecord(id, version, category, title, data, List.of(new SupplierRecord.Slot("", sale, null)),
                "withdrawn".equals(status), expires, Records.optionalInstant(r, "updatedAt"));
    }
}
