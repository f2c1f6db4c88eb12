package dev.marketops.platform.security;

import dev.marketops.platform.problem.ApiProblem;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the platform's claims from a verified token. */
public final class Identities {

    private Identities() {
    }

    public static Actor fromToken(JsonWebToken jwt, String ip, String userAgent) {
        if (jwt == null || jwt.getRawToken() == null) {
            throw new ApiProblem(401, "UNAUTHENTICATED", "Unauthenticated", "a bearer token is required");
        }
        Set<String> roles = jwt.getGroups() == null ? Set.of() : Set.copyOf(jwt.getGroups());
        long userId = longClaim(jwt, "uid", jwt.getSubject());
        Long merchant = roles.contains(Roles.MERCHANT) ? optionalLong(jwt.getClaim("merchant_id")) : null;
        String type = Actor.primaryRole(roles);
        if (Roles.MERCHANT.equals(type) && merchant == null) {
            throw new ApiProblem(403, "NO_MERCHANT", "Forbidden", "a merchant token must carry the merchant_id claim");
        }
        return new Actor(userId, type, roles, merchant, ip, userAgent, displayName(jwt));
    }

    private static String displayName(JsonWebToken jwt) {
        Object n = jwt.getClaim("name");
        if (n == null) {
            n = jwt.getClaim("preferred_username");
        }
        if (n instanceof jakarta.json.JsonString js) {
            return js.getString();
        }
        return n == null ? null : n.toString();
    }

    private static long longClaim(JsonWebToken jwt, String claim, String fallback) {
        Long v = optionalLong(jwt.getClaim(claim));
        if (v == null) {
            v = optionalLong(fallback);
        }
        if (v == null) {
            throw new ApiProblem(403, "NO_USER_ID", "Forbidden", "the token carries no numeric user id (claim uid)");
        }
        return v;
    }

    static Long optionalLong(Object v) {
        if (v == null) {
            return null;
        }
        String s = v.toString();
        if (v instanceof jakarta.json.JsonString js) {
            s = js.getString();
        }
        try {
            return Long.parseLong(s.replace("\"", "").trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean trustedProxy(String peer) {
        return peer != null && (peer.startsWith("127.") || peer.equals("0:0:0:0:0:0:0:1") || peer.equals("::1"));
    }
}
