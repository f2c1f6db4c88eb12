package dev.marketops.maintenance.notification;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends the pending webhook deliveries: POST of the notice's JSON with its HMAC-SHA256 signature
 * (header {@value #SIGNATURE_HEADER}: {@code sha256=<hex>} of the body with the subscription's
 * secret). A 2xx answer delivers it; anything else is retried with exponential backoff until the
 * last attempt fails it. Every replica of the worker sends: a delivery is claimed with a lease
 * (FOR UPDATE SKIP LOCKED), so two replicas never send the same one at once, and one that dies
 * mid-send leaves it to be claimed again when the lease ends.
 */
@ApplicationScoped
public class WebhookDeliverer {

    private static final Logger LOG = Logger.getLogger(WebhookDeliverer.class);
    public static final String SIGNATURE_HEADER = "X-MarketOps-Signature";
    public static final String EVENT_HEADER = "X-MarketOps-Event-Id";
    public static final String KIND_HEADER = "X-MarketOps-Event-Kind";
    public static final String ATTEMPT_HEADER = "X-MarketOps-Delivery-Attempt";

    record Claimed(long id, String url, String secret, String eventId, String kind, String body, int attempt) {
    }

    @Inject
    AgroalDataSource ds;
    @ConfigProperty(name = "marketops.workers.notification-worker.enabled", defaultValue = "true")
    boolean workerEnabled;
    @ConfigProperty(name = "marketops.notifications.webhook.max-attempts", defaultValue = "8")
    int maxAttempts;
    @ConfigProperty(name = "marketops.notifications.webhook.backoff", defaultValue = "10s")
    Duration backoff;
    @ConfigProperty(name = "marketops.notifications.webhook.max-backoff", defaultValue = "1h")
    Duration maxBackoff;
    @ConfigProperty(name = "marketops.notifications.webhook.timeout", defaultValue = "10s")
    Duration timeout;
    @ConfigProperty(name = "marketops.notifications.webhook.claim", defaultValue = "50")
    int claimSize;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Scheduled(identity = "webhook-delivery", every = "${marketops.notifications.webhook.every:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (workerEnabled) {
            deliverDue();
        }
    }

    /** Sends what is due now; returns how many were accepted. */
    public int deliverDue() {
        int accepted = 0;
        for (Claimed d : claim()) {
            int status = 0;
            String error = null;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header(SIGNATURE_HEADER, "sha256=" + sign(d.secret(), d.body()))
                        .header(EVENT_HEADER, d.eventId())
                        .header(KIND_HEADER, d.kind())
                        .header(ATTEMPT_HEADER, Integer.toString(d.attempt()))
                        .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.discarding());
                status = r.statusCode();
            } catch (java.io.IOException | IllegalArgumentException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
            boolean ok = status >= 200 && status < 300;
            if (ok) {
                accepted++;
            } else {
                LOG.infof("webhook delivery %d (event %s) attempt %d to %s: %s", d.id(), d.eventId(), d.attempt(), d.url(),
                        error != null ? error : "HTTP " + status);
            }
            outcome(d, ok, status, error);
        }
        return accepted;
    }

    /** hex HMAC-SHA256 of the body: what a receiver recomputes with the shared secret. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Claimed> claim() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE webhook_delivery d SET attempts = d.attempts + 1, lease_until = now() + ?::interval
                  FROM (SELECT id FROM webhook_delivery
                         WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due, webhook_subscription s
                 WHERE d.id = due.id AND s.id = d.subscription_id
                RETURNING d.id, s.url, s.secret, d.event_id, d.kind, d.body, d.attempts""")) {
            ps.setString(1, (timeout.toSeconds() * 3 + 5) + " seconds");
            ps.setInt(2, claimSize);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getInt(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim webhook deliveries", e);
        }
    }

    private void outcome(Claimed d, boolean ok, int status, String error) {
        long delayMs = Math.min(maxBackoff.toMillis(), backoff.toMillis() << Math.min(20, d.attempt() - 1));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE webhook_delivery SET lease_until = NULL, last_status = ?, last_error = ?,
                       status = CASE WHEN ? THEN 'delivered' WHEN attempts >= ? THEN 'failed' ELSE 'pending' END,
                       delivered_at = CASE WHEN ? THEN now() END,
                       next_attempt_at = now() + ? * interval '1 millisecond'
                 WHERE id = ?""")) {
            ps.setObject(1, status == 0 ? null : status, java.sql.Types.INTEGER);
            ps.setString(2, error);
            ps.setBoolean(3, ok);
            ps.setInt(4, maxAttempts);
            ps.setBoolean(5, ok);
            ps.setLong(6, delayMs);
            ps.setLong(7, d.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record webhook delivery " + d.id(), e);
        }
    }
}
