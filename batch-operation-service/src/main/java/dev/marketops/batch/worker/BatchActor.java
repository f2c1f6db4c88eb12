package dev.marketops.batch.worker;

import dev.marketops.platform.security.Actor;
import java.util.Set;

/**
 * The actor a batch runs as, rebuilt from the creator columns of its row: the chunks of a
 * merchant's batch reach the catalogue as that merchant (and its shop), an operator's as that
 * operator, never as a generic "operator" or as the service itself.
 */
public final class BatchActor {

    private BatchActor() {
    }

    public static Actor of(long userId, String type, Long merchantId, String ip, String userAgent) {
        String role = type == null || type.isBlank() ? "operator" : type;
        return new Actor(userId, role, Set.of(role), merchantId, ip, userAgent);
    }

    /** The source_user_type of listing tasks (audit strategies know operator / merchant / system). */
    public static String sourceUserType(Actor a) {
        return a.isMerchant() ? "merchant" : "operator";
    }
}
