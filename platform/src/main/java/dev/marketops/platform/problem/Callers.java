package dev.marketops.platform.problem;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, from the verified bearer token. */
public final class Callers {

    private Callers() {
    }

    /** The numeric user id in the token's subject; a 401 problem when there is none. */
    public static long userId(JsonWebToken jwt) {
        String sub = jwt == null ? null : jwt.getSubject();
        if (sub == null) {
            throw new ApiProblem(401, "UNAUTHENTICATED", "Unauthenticated", "a bearer token is required");
        }
        try {
            return Long.parseLong(sub);
        } catch (NumberFormatException e) {
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "the token's subject is not a user id").with("sub", sub);
        }
    }
}
