package dev.marketops.supplier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Field readers shared by the adapters: each names the field it refuses. */
final class Records {

    private Records() {
    }

    static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            throw RecordProblem.missing(field);
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw RecordProblem.invalid(field, "must be a string");
        }
        String s = v.asText().trim();
        if (s.length() > 200) {
            throw RecordProblem.invalid(field, "is longer than 200 characters");
        }
        return s;
    }

    static String optionalText(JsonNode r, String field, String fallback) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? fallback : text(r, field);
    }

    static long version(JsonNode r) {
        JsonNode v = r.get("version");
        if (v == null || v.isNull()) {
            throw RecordProblem.missing("version");
        }
        if (!v.canConvertToLong() || v.asLong() < 0) {
            throw RecordProblem.invalid("version", "must be a non-negative whole number");
        }
        return v.asLong();
    }

    /** Money in yuan (as suppliers send it), to cents; must be positive. */
    static long cents(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            throw RecordProblem.missing(field);
        }
        if (!v.isNumber()) {
            throw RecordProblem.invalid(field, "must be a number");
        }
        BigDecimal yuan = v.decimalValue();
        if (yuan.signum() <= 0) {
            throw new RecordProblem("PRICE_NOT_POSITIVE", field, field + " must be positive");
        }
        return yuan.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    static long nonNegative(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            throw RecordProblem.missing(field);
        }
        if (!v.canConvertToLong() || v.asLong() < 0) {
            throw RecordProblem.invalid(field, "must be a whole number >= 0");
        }
        return v.asLong();
    }

    static Instant instant(JsonNode r, String field) {
        String s = text(r, field);
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw RecordProblem.invalid(field, "must be an ISO-8601 time with offset, e.g. 2026-12-05T19:30:00Z");
        }
    }

    static Instant optionalInstant(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? null : instant(r, field);
    }

    static LocalDate date(JsonNode r, String field) {
        String s = text(r, field);
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw RecordProblem.invalid(field, "must be an ISO date, e.g. 2026-12-05");
        }
    }

    static String status(JsonNode r, String... allowed) {
        String s = optionalText(r, "status", allowed[0]);
        for (String a : allowed) {
            if (a.equals(s)) {
                return s;
            }
        }
        throw RecordProblem.invalid("status", "must be one of " + String.join(", ", allowed));
    }
}
