package dev.marketops.search.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which running activity prices an item for which reader (main seed 4.3.2: user types all / new / vip). */
class PromotionPriceTest {

    private static final long NOW = 1_000_000L;

    private static PromotionPrice.Activity activity(long id, String userType, int priority, long quota, long perUser) {
        return new PromotionPrice.Activity(id, "p" + id, "discount", Set.of(1000L), Set.of(), userType, "percent",
                BigDecimal.valueOf(10L * priority), priority, NOW - 1, NOW + 1000, quota, perUser);
    }

    @Test
    void aUserTypeSeesItsOwnActivitiesBesideThoseForEveryone() {
        List<PromotionPrice.Activity> running = List.of(activity(1, "all", 1, 0, 0), activity(2, "vip", 3, 500, 2),
                activity(3, "new", 2, 0, 1));
        List<Long> path = List.of(1000L, 1200L);

        PromotionPrice.Applied anyone = PromotionPrice.best(running, 7, path, 10_000, NOW, "all").orElseThrow();
        assertEquals("1", anyone.promotionId());
        assertEquals(9_000, anyone.priceCents());
        assertNull(anyone.quota(), "no quota is shown as none");

        PromotionPrice.Applied vip = PromotionPrice.best(running, 7, path, 10_000, NOW, "vip").orElseThrow();
        assertEquals("2", vip.promotionId());
        assertEquals(7_000, vip.priceCents());
        assertEquals("vip", vip.userType());
        assertEquals(500L, vip.quota());
        assertEquals(2L, vip.perUserQuota());

        PromotionPrice.Applied fresh = PromotionPrice.best(running, 7, path, 10_000, NOW, "new").orElseThrow();
        assertEquals("3", fresh.promotionId(), "the new-user activity outranks the one for everyone, the vip one is not theirs");
        assertEquals(1L, fresh.perUserQuota());

        assertTrue(PromotionPrice.best(List.of(activity(2, "vip", 3, 0, 0)), 7, path, 10_000, NOW, "all").isEmpty());
    }
}
