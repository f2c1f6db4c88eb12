package dev.marketops.batch.intake;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** The typed cells of one row by header, with the row's number for error messages. */
public record RowValues(int rowNo, Map<String, Object> values, Map<String, String> extra) {

    public RowValues(int rowNo) {
        this(rowNo, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    public boolean has(String header) {
        return values.get(header) != null;
    }

    public long id(String header) {
        return (Long) values.get(header);
    }

    public Long longOrNull(String header) {
        return (Long) values.get(header);
    }

    public String text(String header) {
        Object v = values.get(header);
        return v == null ? null : v.toString();
    }

    public String text(String header, String fallback) {
        String v = text(header);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public BigDecimal decimal(String header) {
        return (BigDecimal) values.get(header);
    }

    public RowError error(String column, String code, String message) {
        return new RowError(rowNo, column, code, message);
    }
}
