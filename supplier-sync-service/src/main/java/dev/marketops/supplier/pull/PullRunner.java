package dev.marketops.supplier.pull;

import dev.marketops.supplier.adapter.Adapters;
import dev.marketops.supplier.adapter.PullProtocol;
import dev.marketops.supplier.adapter.SupplierAdapter;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.sync.Ack;
import dev.marketops.supplier.sync.Channel;
import dev.marketops.supplier.sync.Incoming;
import dev.marketops.supplier.sync.SyncApplier;
import dev.marketops.supplier.sync.SyncEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One pull of one supplier, page by page from where the last committed page left off: fetch the
 * page since the committed watermark at the stored cursor, apply it (records that fail are
 * recorded with their reason and do not stop the page), commit the next cursor. After the last
 * page the watermark advances and the next pull is due after the supplier's interval. A page that
 * cannot be fetched (timeout, 500, unreadable) or applied stops the pull with the cursor where it
 * was and a back-off; a crash leaves the same state, so the next pull re-fetches at most the page
 * that was in flight, and its records are ignored as duplicates (supplier + external id + version).
 */
@ApplicationScoped
public class PullRunner {

    private static final Logger LOG = Logger.getLogger(PullRunner.class);

    @Inject
    AgroalDataSource ds;
    @Inject
    Adapters adapters;
    @Inject
    PullProtocol http;
    @Inject
    SyncApplier applier;
    @Inject
    SyncEvents events;
    @ConfigProperty(name = "marketops.supplier.pull.backoff-initial", defaultValue = "PT2S")
    Duration backoffInitial;
    @ConfigProperty(name = "marketops.supplier.pull.backoff-max", defaultValue = "PT10M")
    Duration backoffMax;

    public record Outcome(int pages, int records, int applied, int failed, boolean complete, String error) {
    }

    private record Position(String watermark, String cursor, String pullWatermark, int failures) {
    }

    public Outcome pull(Supplier s) {
        SupplierAdapter adapter = adapters.of(s.adapter);
        Position pos = position(s.code);
        String cursor = pos.cursor();
        String reached = pos.pullWatermark() != null ? pos.pullWatermark() : pos.watermark();
        long minGapNanos = 1_000_000_000L / Math.max(1, s.rateLimitPerSecond);
        long lastRequest = 0;
        int pages = 0;
        int records = 0;
        int applied = 0;
        int failed = 0;
        while (true) {
            long wait = lastRequest + minGapNanos - System.nanoTime();
            if (lastRequest != 0 && wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(pages, records, applied, failed, false, "interrupted");
                }
            }
            lastRequest = System.nanoTime();
            SupplierAdapter.Page page;
            List<Ack> acks;
            try {
                page = adapter.fetch(http, s, pos.watermark(), cursor);
                List<Incoming> in = new ArrayList<>(page.records().size());
                for (int i = 0; i < page.records().size(); i++) {
                    in.add(new Incoming("page:" + (cursor == null ? "0" : cursor) + "#" + i, "", -1, page.records().get(i).toString()));
                }
                acks = in.isEmpty() ? List.of() : applier.apply(s, Channel.PULL, 0, in);
            } catch (java.io.IOException | RuntimeException e) {
                String why = reasonCode(e) + ": " + e.getMessage();
                Duration backoff = failed(s, pos.failures() + 1, why);
                LOG.warnf("pull of %s stopped at cursor %s (retry in %s): %s", s.code, cursor, backoff, why);
                return new Outcome(pages, records, applied, failed, false, why);
            }
            pages++;
            records += acks.size();
            for (Ack a : acks) {
                if (a.accepted()) {
                    applied++;
                } else {
                    failed++;
                }
            }
            if (page.watermark() != null && (reached == null || page.watermark().compareTo(reached) > 0)) {
                reached = page.watermark();
            }
            cursor = page.nextCursor();
            if (cursor == null || page.records().isEmpty()) {
                finished(s, reached);
                return new Outcome(pages, records, applied, failed, true, null);
            }
            committed(s.code, cursor, reached);
        }
    }

    private static String reasonCode(Exception e) {
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "TIMEOUT";
        }
        if (e instanceof dev.marketops.supplier.adapter.SupplierCredentials.Unavailable) {
            return "CREDENTIALS_UNAVAILABLE";
        }
        return e instanceof PullProtocol.Refused r ? r.code() : "PAGE_FAILED";
    }

    private Position position(String code) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT watermark, page_cursor, pull_watermark, consecutive_failures FROM supplier_sync_state WHERE supplier_code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Position(null, null, null, 0);
                }
                return new Position(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void committed(String code, String cursor, String reached) {
        update("UPDATE supplier_sync_state SET page_cursor = ?, pull_watermark = ?, consecutive_failures = 0, "
                + "last_attempt_at = now(), updated_at = now() WHERE supplier_code = ?", cursor, reached, code);
    }

    private void finished(Supplier s, String reached) {
        update("UPDATE supplier_sync_state SET watermark = coalesce(?, watermark), page_cursor = NULL, pull_watermark = NULL, "
                + "consecutive_failures = 0, sync_count = sync_count + 1, last_success_at = now(), last_attempt_at = now(), "
                + "pull_requested_at = NULL, next_pull_at = now() + make_interval(secs => " + Math.max(1, s.pullIntervalSeconds == null
                ? 3600 : s.pullIntervalSeconds) + "), updated_at = now() WHERE supplier_code = ?", reached, s.code);
    }

    /** The pull stopped: state, failure record and supplier.sync.failed in one transaction; returns the back-off. */
    private Duration failed(Supplier s, int failures, String why) {
        long ms = Math.min(backoffMax.toMillis(), backoffInitial.toMillis() << Math.min(20, failures - 1));
        String code = why.substring(0, why.indexOf(':'));
        QuarkusTransaction.requiringNew().run(() -> {
            update("UPDATE supplier_sync_state SET consecutive_failures = ?::int, last_error = ?, last_attempt_at = now(), "
                    + "next_pull_at = now() + make_interval(secs => ?::double precision), updated_at = now() WHERE supplier_code = ?",
                    String.valueOf(failures), why.length() > 2000 ? why.substring(0, 2000) : why, String.valueOf(ms / 1000.0), s.code);
            update("INSERT INTO supplier_sync_failure (supplier_code, channel, reason_code, reason) VALUES (?, 'pull', ?, ?)",
                    s.code, code, why);
            events.pullFailed(s, code, why, failures, Instant.now().plusMillis(ms));
        });
        return Duration.ofMillis(ms);
    }

    private void update(String sql, String... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
