package dev.marketops.platform.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This service's own bearer token for calls to other services: the OAuth2 client-credentials
 * grant of its confidential client at the identity provider, cached until a minute before it
 * expires. (A plain HTTP form post: quarkus-oidc-client would also bring OIDC discovery at
 * start-up, which a service must not depend on to boot.) Tests set a pre-signed
 * {@code marketops.service.static-token} instead.
 */
@ApplicationScoped
public class ServiceTokens {

    private static final Logger LOG = Logger.getLogger(ServiceTokens.class);

    @ConfigProperty(name = "marketops.service.token-url")
    Optional<String> tokenUrl;
    @ConfigProperty(name = "marketops.service.client-id")
    Optional<String> clientId;
    @ConfigProperty(name = "marketops.service.client-secret")
    Optional<String> clientSecret;
    @ConfigProperty(name = "marketops.service.static-token")
    Optional<String> staticToken;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();
    private volatile String token;
    private volatile long refreshAtMillis;

    public String token() {
        if (staticToken.isPresent()) {
            return staticToken.get();
        }
        String t = token;
        if (t != null && System.currentTimeMillis() < refreshAtMillis) {
            return t;
        }
        return fetch();
    }

    private synchronized String fetch() {
        if (token != null && System.currentTimeMillis() < refreshAtMillis) {
            return token;
        }
        if (tokenUrl.isEmpty() || clientId.isEmpty() || clientSecret.isEmpty()) {
            throw new IllegalStateException("no service credentials: set marketops.service.token-url, .client-id and "
                    + "MARKETOPS_SERVICE_CLIENT_SECRET (or marketops.service.static-token in tests)");
        }
        String form = "grant_type=client_credentials&client_id=" + enc(clientId.get()) + "&client_secret=" + enc(clientSecret.get());
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenUrl.get()))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("identity provider refused client " + clientId.get() + ": HTTP " + r.statusCode());
            }
            JsonNode body = json.readTree(r.body());
            long expiresIn = body.path("expires_in").asLong(300);
            token = body.path("access_token").asText();
            refreshAtMillis = System.currentTimeMillis() + Math.max(5, expiresIn - 60) * 1000;
            LOG.debugf("service token for %s, valid %d s", clientId.get(), expiresIn);
            return token;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("identity provider unreachable at " + tokenUrl.get() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching a service token", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
