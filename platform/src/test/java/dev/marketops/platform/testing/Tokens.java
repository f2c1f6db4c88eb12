package dev.marketops.platform.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/** Bearer tokens signed with the local platform's development key, as the local login would issue them. */
public final class Tokens {

    private static PrivateKey key;

    private Tokens() {
    }

    public static String bearer(String role, long userId) {
        return "Bearer " + token(role, userId);
    }

    public static String token(String role, long userId) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer("marketops");
            claims.setSubject(Long.toString(userId));
            claims.setStringListClaim("groups", List.of(role));
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(60);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(privateKey());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static synchronized PrivateKey privateKey() throws Exception {
        if (key == null) {
            Path pem = findUp(Path.of("").toAbsolutePath(), "deploy/local/jwt/dev-private.pem");
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        }
        return key;
    }

    private static Path findUp(Path from, String relative) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + from);
    }
}
