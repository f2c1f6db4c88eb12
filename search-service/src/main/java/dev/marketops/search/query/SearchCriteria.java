package dev.marketops.search.query;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operators' product list filters (seed 4.2.1), parsed and checked once: every refusal
 * is a problem naming the parameter. Plain Java; {@link SearchQueries} turns it into a query.
 */
public record SearchCriteria(Long categoryId, List<String> statuses, String sourceType, String shopId,
                             BigDecimal priceMin, BigDecimal priceMax, Long stockMin, Long stockMax, List<String> tags,
                             Long createdFrom, Long createdTo, Long updatedFrom, Long updatedTo, String q,
                             String sortField, boolean sortDescending, int page, int size, SearchCursor cursor) {

    /** Statuses as the projections hold them (a deleted item is "removed"). */
    public static final Set<String> STATUSES = Set.of("draft", "online", "offline", "risk_control", "removed");
    /** Sortable fields: the API name -> the index field. */
    public static final Map<String, String> SORTS = Map.of("updated_at", "updated_at", "created_at", "created_at",
            "price", "price", "stock", "stock", "item_id", "item_no", "relevance", "_score",
            // the highest priority among the item's active tags (0 without one), computed at query time
            "tag_priority", SearchQueries.TAG_PRIORITY);
    /** The engine's default max_result_window: deeper pages go through searchAfter. */
    public static final int MAX_WINDOW = 10_000;
    private static final Pattern SORT = Pattern.compile("^([a-z_]+)(?:[ :,+](asc|desc))?$");
    private static final int MAX_Q = 200;

    /** The raw query parameters (strings, so a malformed number is our problem document, not a 404). */
    public record Raw(String categoryId, String status, String sourceType, String shopId, String merchantId,
                      String priceMin, String priceMax, String stockMin, String stockMax, List<String> tags,
                      String createdFrom, String createdTo, String updatedFrom, String updatedTo, String q,
                      String sort, String page, String size, String searchAfter) {
    }

    public static SearchCriteria parse(Raw r) {
        Long categoryId = positiveLong("categoryId", r.categoryId());
        List<String> statuses = statuses(r.status());
        String shop = blank(r.shopId()) ? r.merchantId() : r.shopId();
        String shopField = blank(r.shopId()) ? "merchantId" : "shopId";
        Long shopId = positiveLong(shopField, shop);
        BigDecimal priceMin = money("priceMin", r.priceMin());
        BigDecimal priceMax = money("priceMax", r.priceMax());
        if (priceMin != null && priceMax != null && priceMin.compareTo(priceMax) > 0) {
            throw range("priceMin", "priceMax");
        }
        Long stockMin = anyLong("stockMin", r.stockMin());
        Long stockMax = anyLong("stockMax", r.stockMax());
        if (stockMin != null && stockMax != null && stockMin > stockMax) {
            throw range("stockMin", "stockMax");
        }
        Long createdFrom = time("createdFrom", r.createdFrom(), false);
        Long createdTo = time("createdTo", r.createdTo(), true);
        if (createdFrom != null && createdTo != null && createdFrom > createdTo) {
            throw range("createdFrom", "createdTo");
        }
        Long updatedFrom = time("updatedFrom", r.updatedFrom(), false);
        Long updatedTo = time("updatedTo", r.updatedTo(), true);
        if (updatedFrom != null && updatedTo != null && updatedFrom > updatedTo) {
            throw range("updatedFrom", "updatedTo");
        }
        String q = blank(r.q()) ? null : r.q().trim();
        if (q != null && q.length() > MAX_Q) {
            throw ApiProblem.invalidField("q", "at most " + MAX_Q + " characters", q.length());
        }
        String sortSpec = blank(r.sort()) ? (q != null ? "relevance:desc" : "updated_at:desc") : r.sort().trim().toLowerCase(Locale.ROOT);
        Matcher m = SORT.matcher(sortSpec);
        if (!m.matches() || !SORTS.containsKey(m.group(1))) {
            throw ApiProblem.invalidField("sort", "one of " + SORTS.keySet() + ", optionally followed by asc or desc", r.sort());
        }
        String sortField = m.group(1);
        boolean desc = m.group(2) == null ? sortField.equals("relevance") || sortField.equals("tag_priority") || sortField.endsWith("_at") : m.group(2).equals("desc");
        int page = intParam("page", r.page(), 0);
        int size = intParam("size", r.size(), 20);
        Page.check(page, size);
        SearchCursor cursor = null;
        if (!blank(r.searchAfter())) {
            if (page != 0) {
                throw ApiProblem.invalidField("page", "must be 0 (or absent) with searchAfter", page);
            }
            cursor = SearchCursor.decode(r.searchAfter(), sortField + ":" + (desc ? "desc" : "asc"));
        } else if ((long) page * size + size > MAX_WINDOW) {
            // Refused here, naming the parameter, rather than left to the engine (from + size beyond
            // its max_result_window fails the whole search).
            throw ApiProblem.invalidField("page", "(page + 1) * size may not exceed " + MAX_WINDOW
                    + " results: follow nextCursor with searchAfter for deeper pages", page).with("maxResults", MAX_WINDOW);
        }
        List<String> tags = new ArrayList<>();
        if (r.tags() != null) {
            r.tags().stream().flatMap(t -> Arrays.stream(t.split(","))).map(String::trim).filter(t -> !t.isEmpty()).forEach(tags::add);
        }
        return new SearchCriteria(categoryId, statuses, blank(r.sourceType()) ? null : r.sourceType().trim(),
                shopId == null ? null : Long.toString(shopId), priceMin, priceMax, stockMin, stockMax, List.copyOf(tags),
                createdFrom, createdTo, updatedFrom, updatedTo, q, sortField, desc, page, size, cursor);
    }

    public String sortSpec() {
        return sortField + ":" + (sortDescending ? "desc" : "asc");
    }

    /**
     * The same filters and sort, one page of {@code pageSize} hits after the cursor {@code after}
     * (null: the first page): how a background export walks the whole result, in pages larger than
     * the API's 1..200.
     */
    public SearchCriteria after(SearchCursor after, int pageSize) {
        return new SearchCriteria(categoryId, statuses, sourceType, shopId, priceMin, priceMax, stockMin, stockMax, tags,
                createdFrom, createdTo, updatedFrom, updatedTo, q, sortField, sortDescending, 0, pageSize, after);
    }

    private static List<String> statuses(String raw) {
        if (blank(raw)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : raw.split(",")) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (v.equals("deleted")) {
                v = "removed";
            }
            if (!STATUSES.contains(v)) {
                throw ApiProblem.invalidField("status", "one of " + STATUSES + " (comma-separated)", s.trim());
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static ApiProblem range(String from, String to) {
        return new ApiProblem(400, "INVALID_RANGE", "Invalid range", from + " must not be greater than " + to)
                .with("field", from).with("otherField", to);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Long positiveLong(String field, String raw) {
        Long v = anyLong(field, raw);
        if (v != null && v <= 0) {
            throw ApiProblem.invalidField(field, "must be a positive id", raw);
        }
        return v;
    }

    private static Long anyLong(String field, String raw) {
        if (blank(raw)) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField(field, "must be an integer", raw);
        }
    }

    private static int intParam(String field, String raw, int dflt) {
        Long v = anyLong(field, raw);
        if (v == null) {
            return dflt;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw ApiProblem.invalidField(field, "out of range", raw);
        }
        return v.intValue();
    }

    /** A price in currency units with at most 2 decimals (the index keeps cents exactly). */
    private static BigDecimal money(String field, String raw) {
        if (blank(raw)) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(raw.trim());
            if (v.signum() < 0) {
                throw ApiProblem.invalidField(field, "must not be negative", raw);
            }
            if (v.stripTrailingZeros().scale() > 2) {
                throw ApiProblem.invalidField(field, "at most 2 decimals", raw);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField(field, "must be a decimal amount", raw);
        }
    }

    /** An ISO instant, an ISO date (a day in UTC: from its start, to its end) or epoch millis. */
    private static Long time(String field, String raw, boolean endOfDay) {
        if (blank(raw)) {
            return null;
        }
        String v = raw.trim();
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(v);
            }
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - (endOfDay ? 1 : 0);
            }
            return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            try {
                return Instant.parse(v).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw ApiProblem.invalidField(field, "an ISO date (2026-11-23), date-time (2026-11-23T10:00:00Z) or epoch millis", raw);
            }
        }
    }
}
