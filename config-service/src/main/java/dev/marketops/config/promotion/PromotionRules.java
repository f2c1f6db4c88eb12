package dev.marketops.config.promotion;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a valid promotion is (main seed 4.3.2), plain Java: dates in order, a discount that cannot
 * take a price to zero or below (percent strictly between 0 and 100, amounts and fixed prices above
 * zero; an amount off larger than an item's price is not applied there by the read side), a scope,
 * and no second running activity of the same priority over an overlapping scope and window, so that
 * priority always decides between overlapping activities.
 */
public final class PromotionRules {

    public static final Set<String> KINDS = Set.of("discount", "full_reduction", "bundle", "flash_sale");
    public static final Set<String> USER_TYPES = Set.of("all", "new", "vip");
    public static final Set<String> DISCOUNT_TYPES = Set.of("percent", "amount", "fixed_price");

    public record Draft(String name, String kind, Collection<Long> categoryIds, Collection<Long> itemIds, String userType,
                        String discountType, BigDecimal discountValue, int priority, Instant startsAt, Instant endsAt,
                        Long quota, Long perUserQuota) {
    }

    public record Violation(String field, String reason, Object value) {
    }

    private PromotionRules() {
    }

    public static List<Violation> check(Draft d) {
        List<Violation> out = new ArrayList<>();
        if (d.name() == null || d.name().isBlank()) out.add(new Violation("name", "is required", d.name()));
        if (!KINDS.contains(d.kind())) out.add(new Violation("kind", "must be one of " + KINDS, d.kind()));
        if (!USER_TYPES.contains(d.userType())) out.add(new Violation("userType", "must be one of " + USER_TYPES, d.userType()));
        if (d.categoryIds().isEmpty() && d.itemIds().isEmpty()) {
            out.add(new Violation("categoryIds", "a promotion needs category ids or item ids", null));
        }
        if (!DISCOUNT_TYPES.contains(d.discountType())) {
            out.add(new Violation("discountType", "must be one of " + DISCOUNT_TYPES, d.discountType()));
        } else if (d.discountValue() == null || d.discountValue().signum() <= 0) {
            out.add(new Violation("discountValue", "must be above zero: no price may reach zero or below", d.discountValue()));
        } else if (d.discountType().equals("percent") && d.discountValue().compareTo(BigDecimal.valueOf(100)) >= 0) {
            out.add(new Violation("discountValue", "a percentage off must be below 100: no price may reach zero", d.discountValue()));
        }
        if (d.startsAt() == null) out.add(new Violation("startsAt", "is required", null));
        if (d.endsAt() == null) out.add(new Violation("endsAt", "is required", null));
        if (d.startsAt() != null && d.endsAt() != null && !d.endsAt().isAfter(d.startsAt())) {
            out.add(new Violation("endsAt", "must be after startsAt", d.endsAt().toString()));
        }
        if (d.quota() != null && d.quota() <= 0) out.add(new Violation("quota", "must be above zero (or absent)", d.quota()));
        if (d.perUserQuota() != null && d.perUserQuota() <= 0) {
            out.add(new Violation("perUserQuota", "must be above zero (or absent)", d.perUserQuota()));
        } else if (d.perUserQuota() != null && d.quota() != null && d.quota() > 0 && d.perUserQuota() > d.quota()) {
            out.add(new Violation("perUserQuota", "must not exceed quota (" + d.quota() + ")", d.perUserQuota()));
        }
        return out;
    }

    /** Two activities overlap when their windows, user types and scopes (ids in common) meet. */
    public static boolean overlap(Draft a, Draft b) {
        boolean window = a.startsAt().isBefore(b.endsAt()) && b.startsAt().isBefore(a.endsAt());
        boolean users = a.userType().equals("all") || b.userType().equals("all") || a.userType().equals(b.userType());
        return window && users && (meets(a.categoryIds(), b.categoryIds()) || meets(a.itemIds(), b.itemIds()));
    }

    private static boolean meets(Collection<Long> a, Collection<Long> b) {
        Set<Long> s = new HashSet<>(a);
        return b.stream().anyMatch(s::contains);
    }
}
