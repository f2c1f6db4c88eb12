package dev.marketops.platform.testing;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The signing key of module tests: generated when a test run first needs it, kept in the
 * module's {@code target/test-identity/} (so the service under test, its peer processes and
 * the test code, in different class loaders and JVMs, agree), never committed. The platform
 * itself verifies Keycloak's keys; nothing here is used outside tests.
 */
public final class TestKeys {

    public static final String ISSUER = "marketops-test";

    private static KeyPair pair;

    private TestKeys() {
    }

    public static Path dir() {
        return Path.of("target", "test-identity").toAbsolutePath();
    }

    public static Path publicKeyFile() {
        pair();
        return dir().resolve("public.pem");
    }

    public static synchronized KeyPair pair() {
        if (pair == null) {
            try {
                pair = loadOrCreate();
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the test signing key in " + dir(), e);
            }
        }
        return pair;
    }

    private static KeyPair loadOrCreate() throws Exception {
        Path dir = dir();
        Path priv = dir.resolve("private.pem");
        Path pub = dir.resolve("public.pem");
        if (!Files.exists(priv)) {
            Files.createDirectories(dir);
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            // Public first, then the private key by atomic rename: its presence means both are complete.
            Path tmpPub = Files.createTempFile(dir, "pub", ".tmp");
            Files.writeString(tmpPub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
            Path tmpPriv = Files.createTempFile(dir, "priv", ".tmp");
            Files.writeString(tmpPriv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
            try {
                if (!Files.exists(priv)) {
                    Files.move(tmpPub, pub, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmpPriv, priv, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (FileAlreadyExistsException raced) {
                // another JVM of this module won: use its key
            } finally {
                Files.deleteIfExists(tmpPub);
                Files.deleteIfExists(tmpPriv);
            }
        }
        KeyFactory kf = KeyFactory.getInstance("RSA");
        PrivateKey pk = kf.generatePrivate(new PKCS8EncodedKeySpec(der(priv)));
        PublicKey pu = kf.generatePublic(new X509EncodedKeySpec(der(pub)));
        return new KeyPair(pu, pk);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path p) throws IOException {
        return Base64.getDecoder().decode(Files.readString(p).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }
}
