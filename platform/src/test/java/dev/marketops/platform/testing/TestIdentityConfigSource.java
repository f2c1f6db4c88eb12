package dev.marketops.platform.testing;

import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * On a module's test class path (the platform test-jar): the service under test trusts the
 * test-time key and calls its peers with a test service token. System properties still win.
 */
public class TestIdentityConfigSource implements ConfigSource {

    private volatile Map<String, String> props;

    private Map<String, String> props() {
        if (props == null) {
            try {
                props = Map.of(
                        "mp.jwt.verify.publickey", Files.readString(TestKeys.publicKeyFile()),
                        "mp.jwt.verify.issuer", TestKeys.ISSUER,
                        "marketops.service.static-token", Tokens.serviceToken(),
                        "marketops.rate-limit.prefix", "marketops-test:rl:");
            } catch (Exception e) {
                throw new IllegalStateException("test identity", e);
            }
        }
        return props;
    }

    @Override
    public Set<String> getPropertyNames() {
        return props().keySet();
    }

    @Override
    public String getValue(String name) {
        return props().get(name);
    }

    @Override
    public String getName() {
        return "marketops-test-identity";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
