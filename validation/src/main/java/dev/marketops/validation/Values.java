package dev.marketops.validation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Lenient readers for attribute values: JSON numbers or numeric strings (as Excel cells arrive). */
public final class Values {

    private Values() {
    }

    public static Optional<BigDecimal> decimal(Object v) {
        if (v instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()));
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(new BigDecimal(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** An instant from an ISO date-time with offset, or without one (read as UTC). */
    public static Optional<Instant> instant(Object v) {
        if (!(v instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(s.trim()).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(s.trim()).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    public static Optional<LocalDate> date(Object v) {
        if (!(v instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(s.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static boolean blank(Object v) {
        return v == null || (v instanceof String s && s.isBlank());
    }
}
