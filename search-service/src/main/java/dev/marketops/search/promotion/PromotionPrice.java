package dev.marketops.search.promotion;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The effective promotional price of an item (main seed 4.3.2), plain Java: of the activities that
 * run at {@code now} for every user and cover the item (by id, or by its category or an ancestor),
 * the highest priority wins (then the older activity). An activity whose discount would take the
 * price to zero or below, or not lower it at all, is not applied there; the next one is tried.
 * After its end an activity no longer matches, so the promotional price disappears by itself.
 */
public final class PromotionPrice {

    public record Activity(long promotionId, String name, String kind, Set<Long> categoryIds, Set<Long> itemIds,
                           String userType, String discountType, BigDecimal value, int priority, long startsAt,
                           long endsAt, long quota, long perUserQuota) {
    }

    /**
     * What the read side shows: ids as strings, prices in cents and as decimals, for whom it runs and its
     * limits (quota in total, perUserQuota per user; null: none) so the storefront can enforce them at checkout.
     */
    public record Applied(String promotionId, String name, String kind, int priority, long priceCents, BigDecimal price,
                          long endsAt, String userType, Long quota, Long perUserQuota) {
    }

    public static final java.util.Set<String> USER_TYPES = java.util.Set.of("all", "new", "vip");

    private static final Comparator<Activity> RANK = Comparator.comparingInt(Activity::priority).reversed()
            .thenComparingLong(Activity::startsAt).thenComparingLong(Activity::promotionId);

    private PromotionPrice() {
    }

    /** The best running activity for a reader of {@code userType}: those for everyone and those for that type compete. */
    public static Optional<Applied> best(List<Activity> activities, long itemId, Collection<Long> categoryPath,
                                         long priceCents, long now, String userType) {
        if (priceCents <= 0) {
            return Optional.empty();
        }
        return activities.stream()
                .filter(a -> a.startsAt() <= now && now < a.endsAt() && (a.userType().equals("all") || a.userType().equals(userType)))
                .filter(a -> a.itemIds().contains(itemId) || categoryPath.stream().anyMatch(a.categoryIds()::contains))
                .sorted(RANK)
                .flatMap(a -> {
                    long cents = apply(a, priceCents);
                    return cents > 0 && cents < priceCents
                            ? java.util.stream.Stream.of(new Applied(Long.toString(a.promotionId()), a.name(), a.kind(),
                            a.priority(), cents, BigDecimal.valueOf(cents, 2), a.endsAt(), a.userType(),
                            a.quota() > 0 ? a.quota() : null, a.perUserQuota() > 0 ? a.perUserQuota() : null))
                            : java.util.stream.Stream.empty();
                })
                .findFirst();
    }

    static long apply(Activity a, long priceCents) {
        BigDecimal price = BigDecimal.valueOf(priceCents);
        BigDecimal out = switch (a.discountType()) {
            case "percent" -> price.multiply(BigDecimal.valueOf(100).subtract(a.value())).divide(BigDecimal.valueOf(100), 0,
                    RoundingMode.HALF_UP);
            case "amount" -> price.subtract(a.value().movePointRight(2));
            case "fixed_price" -> a.value().movePointRight(2).setScale(0, RoundingMode.HALF_UP);
            default -> price;
        };
        return out.longValue();
    }
}
