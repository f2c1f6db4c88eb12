package dev.marketops.platform.security;

import java.util.Set;

/**
 * Who acts: the verified end user (or system) on whose behalf a command runs. Built from the
 * bearer token at the edge and carried to other services in gRPC metadata
 * ({@link ActorPropagation}), so every service records the same user, role, IP and device.
 *
 * @param userId     the platform's numeric user id (token claim {@code uid})
 * @param type       the role the user acts in (operator, merchant, admin, ..., or system)
 * @param roles      every role of the caller
 * @param merchantId the merchant's shop for merchant users, else null
 * @param ip         the client's address (the gateway's X-Forwarded-For / X-Real-IP), else null
 * @param userAgent  the client's User-Agent (device), else null
 * @param name       the display name (token claim {@code name}, else {@code preferred_username}), else null
 */
public record Actor(long userId, String type, Set<String> roles, Long merchantId, String ip, String userAgent, String name) {

    public Actor(long userId, String type, Set<String> roles, Long merchantId, String ip, String userAgent) {
        this(userId, type, roles, merchantId, ip, userAgent, null);
    }

    /** A service acting on its own (a scheduled job, a consumer without a user behind it). */
    public static final Actor SYSTEM = new Actor(0, "system", Set.of(Roles.SERVICE), null, null, null);

    /** The name to record as operator: the display name, else the role and id ("operator#77"). */
    public String displayName() {
        return name != null && !name.isBlank() ? name : type + "#" + userId;
    }

    public boolean isMerchant() {
        return Roles.MERCHANT.equals(type);
    }

    public boolean has(Permission p) {
        return p.grantedToAny(roles);
    }

    /** The role a user acts in when it has several: the strongest first. */
    public static String primaryRole(Set<String> roles) {
        for (String r : new String[] {Roles.ADMIN, Roles.RISK_CONTROL, Roles.OPERATOR, Roles.AUDITOR,
                Roles.SUPPLIER_ADMIN, Roles.MERCHANT, Roles.SUPPLIER, Roles.SERVICE}) {
            if (roles.contains(r)) {
                return r;
            }
        }
        return "unknown";
    }
}
