package dev.marketops.platform.testing;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Bearer tokens for module tests, with the claims the realm's mappers put into Keycloak's
 * tokens (groups, uid, merchant_id, audience marketops), signed with the test-time key
 * ({@link TestKeys}). The end-to-end suite logs in through the real Keycloak instead.
 */
public final class Tokens {

    private Tokens() {
    }

    public static String bearer(String role, long userId) {
        return "Bearer " + token(role, userId);
    }

    /** A merchant user of shop {@code merchantId}. */
    public static String merchantBearer(long userId, long merchantId) {
        return "Bearer " + sign(claims(List.of("merchant"), userId, merchantId, 60), TestKeys.pair().getPrivate());
    }

    /** A user with its role; a merchant's shop is its user id. */
    public static String token(String role, long userId) {
        return sign(claims(List.of(role), userId, "merchant".equals(role) ? userId : null, 60), TestKeys.pair().getPrivate());
    }

    /** A platform service's token (what client credentials give a service). */
    public static String serviceToken() {
        return sign(claims(List.of("service"), 900_000, null, 24 * 60), TestKeys.pair().getPrivate());
    }

    /** A token that expired a minute ago. */
    public static String expired(String role, long userId) {
        JwtClaims c = claims(List.of(role), userId, null, 60);
        c.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
        c.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 60));
        return sign(c, TestKeys.pair().getPrivate());
    }

    /** A well-formed token signed by a key the platform does not trust (a forgery). */
    public static String forged(String role, long userId) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return sign(claims(List.of(role), userId, null, 60), g.generateKeyPair().getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** System properties that make a peer service process trust the test key and call as a service. */
    public static Map<String, String> peerProperties() {
        return Map.of(
                "mp.jwt.verify.publickey.location", TestKeys.publicKeyFile().toUri().toString(),
                "mp.jwt.verify.issuer", TestKeys.ISSUER,
                "marketops.service.static-token", serviceToken());
    }

    private static JwtClaims claims(List<String> roles, long userId, Long merchantId, int minutes) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestKeys.ISSUER);
        claims.setAudience("marketops");
        claims.setSubject("test-user-" + userId);
        claims.setClaim("uid", Long.toString(userId));
        if (merchantId != null) {
            claims.setClaim("merchant_id", Long.toString(merchantId));
        }
        claims.setStringListClaim("groups", roles);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(minutes);
        return claims;
    }

    private static String sign(JwtClaims claims, PrivateKey key) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }
}
