package dev.marketops.supplier.adapter;

import dev.marketops.supplier.supplier.Supplier;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The credentials a pull presents to a supplier's change API, resolved from the registry's
 * {@code credentialRef} at the moment of the request (so a rotated secret is picked up by the
 * next page) and never stored or logged: errors name the reference, never the value.
 * <ul>
 * <li>{@code secret:<name>}: the file {@code <secrets-dir>/<name>} (a mounted Kubernetes secret);</li>
 * <li>{@code env:<NAME>}: the environment variable;</li>
 * <li>{@code keycloak:client/<id>}: the supplier's own client for calling us (push); it is no
 *     credential for the supplier's API, so a pull presents nothing for it.</li>
 * </ul>
 * The value becomes the Authorization header: as it is when it starts with a scheme
 * ({@code Basic ...}, {@code Bearer ...}), otherwise as a bearer token.
 */
@ApplicationScoped
public class SupplierCredentials {

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9-]* \\S.*");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    @ConfigProperty(name = "marketops.supplier.credentials.secrets-dir", defaultValue = "/run/secrets/marketops-suppliers")
    String secretsDir;

    /** Thrown when a reference cannot be resolved; its message names the reference only. */
    public static class Unavailable extends IOException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The Authorization header value for the supplier's pull requests; empty when it has no credentials to present. */
    public Optional<String> authorization(Supplier s) throws Unavailable {
        String ref = s.credentialRef;
        if (ref == null || ref.startsWith("keycloak:")) {
            return Optional.empty();
        }
        String value;
        if (ref.startsWith("env:")) {
            value = System.getenv(ref.substring(4));
        } else if (ref.startsWith("secret:")) {
            value = secretFile(ref, ref.substring(7));
        } else {
            throw new Unavailable("credentialRef of " + s.code + " has an unknown kind");
        }
        if (value == null || value.isBlank()) {
            throw new Unavailable(ref + " of " + s.code + " is not set");
        }
        String v = value.strip();
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new Unavailable(ref + " of " + s.code + " holds more than one line");
        }
        return Optional.of(SCHEME.matcher(v).matches() ? v : "Bearer " + v);
    }

    private String secretFile(String ref, String name) throws Unavailable {
        // the registry allows "/" and "." in a reference: never let it leave the secrets directory
        if (!SECRET_NAME.matcher(name).matches()) {
            throw new Unavailable(ref + " is not a plain secret name");
        }
        Path file = Path.of(secretsDir).resolve(name);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Unavailable(ref + " is not readable under " + secretsDir);
        }
    }
}
