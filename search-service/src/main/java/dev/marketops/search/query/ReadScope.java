package dev.marketops.search.query;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.problem.Callers;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What the caller may read. A merchant (user id = shop id, as in listing-service) sees only its
 * own shop's goods; operators, auditors and admins see every shop. Reads without a token are
 * left to the gateway, like the fleet's other read endpoints.
 */
@RequestScoped
public class ReadScope {

    @Inject
    JsonWebToken jwt;

    /** The shop a merchant is confined to, or null for everyone else. */
    public Long merchantShop() {
        Set<String> roles = jwt == null || jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        if (!roles.contains("merchant") || roles.contains("operator") || roles.contains("admin") || roles.contains("auditor")) {
            return null;
        }
        return Callers.userId(jwt);
    }

    /** The shop filter to apply: a merchant's own shop whatever it asked, refusing another shop. */
    public String shopFilter(String requested) {
        Long own = merchantShop();
        if (own == null) {
            return requested;
        }
        if (requested != null && !requested.equals(Long.toString(own))) {
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "a merchant sees only its own shop's goods")
                    .with("field", "shopId").with("value", requested);
        }
        return Long.toString(own);
    }

    /** Operations work (reconciliation) is not for merchants. */
    public void requireStaff() {
        if (merchantShop() != null) {
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "reconciliation needs role operator or admin");
        }
    }
}
