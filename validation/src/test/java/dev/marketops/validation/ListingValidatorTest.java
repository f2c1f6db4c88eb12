package dev.marketops.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.proto.config.Category;
import dev.marketops.proto.config.CategoryAttribute;
import dev.marketops.proto.config.CategorySchema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingValidatorTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    final ListingValidator validator = ListingValidator.standard(CLOCK);

    static CategoryAttribute attr(String code, String type, boolean required, String rule, String... enums) {
        return CategoryAttribute.newBuilder().setAttributeCode(code).setAttributeName(code).setAttributeType(type)
                .setRequired(required).setValidationRuleJson(rule == null ? "" : rule).addAllEnumValues(List.of(enums)).build();
    }

    static CategorySchema schema(String code, CategoryAttribute... attributes) {
        return CategorySchema.newBuilder().setCategory(Category.newBuilder().setCategoryCode(code))
                .addAllAttributes(List.of(attributes)).build();
    }

    static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<String> fieldsAndRules(ValidationResult r) {
        return r.violations().stream().map(v -> v.field() + ":" + v.rule()).toList();
    }

    @Test
    void aConfiguredCategoryIsValidatedByItsAttributesAlone() {
        CategorySchema concert = schema("CONCERT",
                attr("concert_name", "text", true, "{\"maxLength\": 10}"),
                attr("show_time", "datetime", true, "{\"min\": \"now\"}"),
                attr("seat_zone", "enum", true, null, "VIP", "A", "B"),
                attr("capacity", "integer", false, "{\"min\": 1, \"max\": 100}"),
                attr("code", "text", false, "{\"pattern\": \"^[A-Z]{3}$\"}"),
                attr("extras", "json", false, "{\"maxItems\": 1}"),
                attr("refundable", "bool", false, null));

        ValidationResult ok = validator.validate(concert, data("concert_name", "Rock", "show_time", "2027-01-01T20:00:00+08:00",
                "seat_zone", "VIP", "capacity", "50", "code", "ABC", "extras", List.of(1), "refundable", true), ValidationLevel.FULL);
        assertTrue(ok.valid(), ok.summary());

        ValidationResult bad = validator.validate(concert, data("concert_name", "A very long concert name",
                "show_time", "2026-11-01T20:00:00Z", "seat_zone", "Balcony", "capacity", 2.5, "code", "abc",
                "extras", List.of(1, 2), "refundable", "maybe"), ValidationLevel.FULL);
        assertEquals(List.of("concert_name:maxLength", "show_time:min", "seat_zone:enum", "capacity:type", "code:pattern",
                "extras:maxItems", "refundable:type"), fieldsAndRules(bad));

        ValidationResult missing = validator.validate(concert, data("show_time", "tomorrow"), ValidationLevel.REQUIRED_AND_FORMAT);
        assertEquals(List.of("concert_name:required", "show_time:type", "seat_zone:required"), fieldsAndRules(missing));
    }

    @Test
    void voucherSalePriceMayNotExceedFaceValueButOnlyTheFullLevelChecksIt() {
        CategorySchema deal = schema("DEAL", attr("face_value", "decimal", true, "{\"min\": 0.01}"),
                attr("sale_price", "decimal", true, "{\"min\": 0.01}"));
        Map<String, Object> dearer = data("face_value", 100, "sale_price", "120.50");
        assertEquals(List.of("sale_price:voucher_price_not_above_face_value"),
                fieldsAndRules(validator.validate(deal, dearer, ValidationLevel.FULL)));
        assertTrue(validator.validate(deal, dearer, ValidationLevel.REQUIRED_AND_FORMAT).valid(), "fast track skips business rules");
        assertTrue(validator.validate(deal, data("face_value", 100, "sale_price", 88), ValidationLevel.FULL).valid());
        assertEquals(List.of("sale_price:min"), fieldsAndRules(validator.validate(deal, data("face_value", 100, "sale_price", 0), ValidationLevel.FULL)));
    }

    @Test
    void topUpDenominationStaysInItsConfiguredRangeAndAboveTheSalePrice() {
        CategorySchema topup = schema("TOPUP", attr("denomination", "integer", true, "{\"min\": 10, \"max\": 500}"),
                attr("sale_price", "decimal", false, null));
        assertEquals(List.of("denomination:max"), fieldsAndRules(validator.validate(topup, data("denomination", 1000), ValidationLevel.FULL)));
        assertEquals(List.of("sale_price:topup_price_not_above_denomination"),
                fieldsAndRules(validator.validate(topup, data("denomination", 50, "sale_price", 51), ValidationLevel.FULL)));
    }

    @Test
    void hotelCalendarDatesAreFutureUniqueAndWithoutGaps() {
        CategorySchema hotel = schema("HOTEL", attr("price_calendar", "json", true, null));
        Map<String, Object> good = data("price_calendar", List.of(Map.of("date", "2026-12-01", "price", 399),
                Map.of("date", "2026-12-02", "price", 420)));
        assertTrue(validator.validate(hotel, good, ValidationLevel.FULL).valid());
        Map<String, Object> bad = data("price_calendar", List.of(Map.of("date", "2026-11-01", "price", 399),
                Map.of("date", "2026-12-01", "price", 0), Map.of("date", "2026-12-01", "price", 10),
                Map.of("date", "2026-12-03", "price", 10)));
        List<String> found = fieldsAndRules(validator.validate(hotel, bad, ValidationLevel.FULL));
        assertTrue(found.contains("price_calendar[0].date:hotel_price_calendar"), found.toString());
        assertTrue(found.contains("price_calendar[1].price:hotel_price_calendar"), found.toString());
        assertTrue(found.contains("price_calendar[2].date:hotel_price_calendar"), "duplicate date " + found);
        assertTrue(validator.validate(hotel, bad, ValidationLevel.FULL).violations().stream()
                .anyMatch(v -> v.message().contains("2026-12-02") && v.message().contains("gap")));
    }

    @Test
    void movieShowIsInTheFutureAndSeatsAgreeWithTicketTypes() {
        CategorySchema movie = schema("MOVIE", attr("show_time", "datetime", true, null),
                attr("ticket_type", "enum", true, null, "standard", "student"), attr("seats", "json", false, null));
        Map<String, Object> bad = data("show_time", "2026-11-22T11:00:00Z", "ticket_type", "standard",
                "seats", List.of(Map.of("seat", "A1", "ticket_type", "standard"), Map.of("seat", "A1", "ticket_type", "vip")));
        assertEquals(List.of("show_time:movie_session_and_seats", "seats[1].seat:movie_session_and_seats",
                "seats[1].ticket_type:movie_session_and_seats"), fieldsAndRules(validator.validate(movie, bad, ValidationLevel.FULL)));
    }

    @Test
    void aBundleNeedsSubItemsAndIsNotDearerThanItsParts() {
        CategorySchema bundle = schema("LOCAL_BUNDLE", attr("bundle_price", "decimal", true, null), attr("sub_items", "json", true, null));
        Map<String, Object> parts = data("bundle_price", 100, "sub_items", List.of(Map.of("itemId", 1, "quantity", 2, "price", 30),
                Map.of("itemId", 2, "quantity", 1, "price", 30)));
        assertEquals(List.of("bundle_price:bundle_sub_items_and_price"), fieldsAndRules(validator.validate(bundle, parts, ValidationLevel.FULL)));
        parts.put("bundle_price", 80);
        assertTrue(validator.validate(bundle, parts, ValidationLevel.FULL).valid());
        assertEquals(List.of("sub_items:bundle_sub_items_and_price", "sub_items[0].quantity:bundle_sub_items_and_price"),
                fieldsAndRules(validator.validate(bundle, data("bundle_price", 1, "sub_items", List.of(Map.of("itemId", 1, "quantity", 0, "price", 3))),
                        ValidationLevel.FULL)));
    }
}
