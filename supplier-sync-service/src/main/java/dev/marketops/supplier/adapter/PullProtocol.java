package dev.marketops.supplier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.supplier.supplier.Supplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The pull protocol a supplier's change API speaks (docs in the service README):
 * {@code GET <endpoint>?since=<watermark>&cursor=<cursor>&limit=<pageSize>} answers
 * {@code {"records": [...], "nextCursor": "..." | null, "watermark": "..."}}. A timeout, a
 * non-200 answer or an unreadable body is an IOException: the page is retried, never half-applied.
 * Each request carries the supplier's credentials ({@link SupplierCredentials}); a 401/403 is
 * {@code CREDENTIALS_REFUSED}, so an operator sees a wrong or rotated secret for what it is.
 */
@ApplicationScoped
public class PullProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @ConfigProperty(name = "marketops.supplier.pull.request-timeout", defaultValue = "PT5S")
    Duration timeout;
    @Inject
    SupplierCredentials credentials;

    /** The change API refused the request (the reason code names why); the message never carries the credentials. */
    public static class Refused extends IOException {
        private final String code;

        public Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public SupplierAdapter.Page fetch(Supplier s, String watermark, String cursor) throws IOException {
        StringBuilder url = new StringBuilder(s.endpointUrl).append(s.endpointUrl.contains("?") ? '&' : '?')
                .append("limit=").append(s.pageSize);
        if (watermark != null) {
            url.append("&since=").append(URLEncoder.encode(watermark, StandardCharsets.UTF_8));
        }
        if (cursor != null) {
            url.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.toString())).timeout(timeout)
                .header("Accept", "application/json").header("X-Supplier-Code", s.code).GET();
        credentials.authorization(s).ifPresent(v -> req.header("Authorization", v));
        HttpResponse<String> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (res.statusCode() == 401 || res.statusCode() == 403) {
            throw new Refused("CREDENTIALS_REFUSED", "HTTP " + res.statusCode() + " from " + s.endpointUrl + " with the credentials of "
                    + (s.credentialRef == null ? "(none)" : s.credentialRef));
        }
        if (res.statusCode() != 200) {
            throw new IOException("HTTP " + res.statusCode() + " from " + s.endpointUrl);
        }
        JsonNode body = JSON.readTree(res.body());
        if (body == null || !body.path("records").isArray()) {
            throw new IOException("the answer has no records array");
        }
        List<JsonNode> records = new ArrayList<>();
        body.get("records").forEach(records::add);
        String next = body.hasNonNull("nextCursor") ? body.get("nextCursor").asText() : null;
        String mark = body.hasNonNull("watermark") ? body.get("watermark").asText() : watermark;
        return new SupplierAdapter.Page(records, next, mark);
    }
}
