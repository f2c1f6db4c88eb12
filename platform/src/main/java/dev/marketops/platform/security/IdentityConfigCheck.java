package dev.marketops.platform.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * No verification key ships in a jar: a service in the prod profile without its identity
 * configuration refuses to start, naming what is missing, instead of starting and refusing
 * (or, worse, accepting) every token.
 */
@ApplicationScoped
public class IdentityConfigCheck {

    void check(@Observes StartupEvent ev) {
        if (!ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        Config c = ConfigProvider.getConfig();
        List<String> missing = new ArrayList<>();
        if (c.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isEmpty()
                && c.getOptionalValue("mp.jwt.verify.publickey", String.class).isEmpty()) {
            missing.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION (the identity provider's JWKS URL)");
        }
        if (c.getOptionalValue("mp.jwt.verify.issuer", String.class).isEmpty()) {
            missing.add("MP_JWT_VERIFY_ISSUER (the realm's issuer URL)");
        }
        if (c.getOptionalValue("marketops.service.static-token", String.class).isEmpty()) {
            for (String p : List.of("marketops.service.token-url", "marketops.service.client-id", "marketops.service.client-secret")) {
                if (c.getOptionalValue(p, String.class).isEmpty()) {
                    missing.add(p.toUpperCase().replace('.', '_').replace('-', '_'));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("identity configuration missing, refusing to start: " + String.join(", ", missing)
                    + ". See README, section 'Identity and access'.");
        }
    }
}
