package dev.marketops.platform.problem;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, from the verified bearer token. */
public final class Callers {

    private Callers() {
    }

        public static long userId(JsonWebToken jwt) {
        return dev.marketops.platform.security.Identities.fromToken(jwt, null, null).userId();
    }
}
