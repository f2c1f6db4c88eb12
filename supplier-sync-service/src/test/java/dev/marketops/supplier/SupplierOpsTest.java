package dev.marketops.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.services.SupplierAck;
import dev.marketops.supplier.ops.SupplierDataCleanWorker;
import dev.marketops.supplier.ops.SupplierSyncMonitorWorker;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * SupplierSyncMonitorWorker and SupplierDataCleanWorker against real sync state: a supplier
 * without a successful sync for longer than stale-after is stale and alerted, one failing 3+
 * times in a row is alerted but not stale, a healthy one and one that never ran are neither;
 * lag and success rate reach the gauges with the seed's labels. The clean-up takes offline only
 * goods past their expiry (in the catalogue and here) and purges only failure records older
 * than the retention.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class SupplierOpsTest {

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @Inject
    AgroalDataSource ds;
    @Inject
    SupplierSyncMonitorWorker monitor;
    @Inject
    SupplierDataCleanWorker cleaner;
    @Inject
    MeterRegistry meters;

    @Test
    void theMonitorFlagsStaleAndFailingSuppliersAndPublishesLagAndSuccessRate() {
        String run = "MON" + ThreadLocalRandom.current().nextInt(1_000_000_000) + "_";
        String stale = run + "STALE";
        String failing = run + "FAILING";
        String healthy = run + "HEALTHY";
        String fresh = run + "NEW";
        String pulled = run + "PULLED";
        for (String code : List.of(stale, failing, healthy, fresh)) {
            register(code, "push", true);
        }
        register(pulled, "pull", true);
        // stale-after is 2 h: three hours without a success (pushes still arrive, all refused)
        state(stale, "now() - interval '3 hours'", 0, 90, 10, 12.5);
        // succeeded a minute ago but failing since, 4 times in a row
        state(failing, "now() - interval '1 minute'", 4, 10, 0, 1.0);
        state(healthy, "now() - interval '1 minute'", 0, 50, 0, 0.25);
        // a pulled supplier's lag is the time since its last complete pull (not due again for a day)
        state(pulled, "now() - interval '30 minutes'", 0, 20, 0, null);

        Map<String, SupplierSyncMonitorWorker.Reading> byCode = new HashMap<>();
        monitor.read().forEach(r -> byCode.put(r.supplier(), r));

        SupplierSyncMonitorWorker.Reading r = byCode.get(stale);
        assertTrue(r.stale() && r.alert(), r.toString());
        assertEquals(0.9, r.successRate(), 1e-9);
        assertEquals(12.5, r.lagSeconds(), 1e-9);
        r = byCode.get(failing);
        assertTrue(!r.stale() && r.alert(), r.toString());
        r = byCode.get(healthy);
        assertTrue(!r.stale() && !r.alert(), r.toString());
        assertEquals(1.0, r.successRate(), 1e-9);
        r = byCode.get(fresh);
        assertTrue(!r.stale() && !r.alert(), "never synced is not stale yet: " + r);
        r = byCode.get(pulled);
        assertFalse(r.stale(), r.toString());
        assertTrue(r.lagSeconds() >= 1800 && r.lagSeconds() < 1800 + 600, r.toString());

        // the gauges carry the seed's labels
        assertEquals(12.5, meters.find("listing_supplier_sync_lag_seconds").tags("supplier_id", stale, "category", "movie", "mode", "push")
                .gauge().value(), 1e-9);
        assertEquals(0.9, meters.find("listing_supplier_sync_success_rate").tags("supplier_id", stale, "category", "movie").gauge().value(), 1e-9);
        assertEquals(1.0, meters.find("listing_supplier_sync_stale").tags("supplier_id", stale).gauge().value(), 1e-9);
        assertEquals(0.0, meters.find("listing_supplier_sync_stale").tags("supplier_id", healthy).gauge().value(), 1e-9);

        // the failing one recovers: its alert goes with its failures
        state(failing, "now()", 0, 11, 0, 1.0);
        assertFalse(monitor.read().stream().filter(x -> x.supplier().equals(failing)).findFirst().orElseThrow().alert());
        for (String code : List.of(stale, failing, healthy, fresh, pulled)) {
            disable(code);
        }
    }

    @Test
    void theCleanUpTakesOfflineOnlyExpiredGoodsAndPurgesOnlyFailuresPastRetention() {
        String expired = "S-exp-" + UUID.randomUUID();
        String current = "S-cur-" + UUID.randomUUID();
        List<SupplierAck> acks = List.of();
        // a loaded machine may answer UNAVAILABLE (listing-service could not reach config-service): send again, as a supplier must
        for (int attempt = 0; attempt < 5 && (acks.isEmpty() || acks.stream().anyMatch(a -> "UNAVAILABLE".equals(a.getReasonCode()))); attempt++) {
            acks = SupplierClients.push(grpcPort, SupplierPushTest.CINEMA, List.of(
                    SupplierClients.update("e", SupplierRecords.movie(expired, 1, 45, 2, "scheduled")),
                    SupplierClients.update("c", SupplierRecords.movie(current, 1, 45, 2, "scheduled")))).acks();
        }
        assertEquals(List.of("created", "created"), acks.stream().map(SupplierAck::getOutcome).toList(), acks.toString());
        Publisher p = new Publisher(listing, catalog);
        List<Long> items = p.publish(List.of(acks.get(0).getTaskId(), acks.get(1).getTaskId()));
        SupplierPushTest.await("both items are known here", () -> count("SELECT count(*) FROM supplier_item WHERE supplier_code = "
                + "'CINEMA_ONE' AND external_id IN ('" + expired + "', '" + current + "') AND item_id IS NOT NULL") == 2);
        // the first session has started (the clock moved on); the second is days ahead
        exec("UPDATE supplier_item SET expires_at = now() - interval '1 minute' WHERE supplier_code = 'CINEMA_ONE' AND external_id = '"
                + expired + "'");

        String failureSupplier = "CLEAN_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        exec("INSERT INTO supplier_sync_failure (supplier_code, channel, reason_code, reason, payload, occurred_at) VALUES "
                + "('" + failureSupplier + "', 'pull', 'OLD', 'past retention', '{}', now() - interval '31 days'), "
                + "('" + failureSupplier + "', 'pull', 'KEPT', 'within retention', '{}', now() - interval '29 days'), "
                + "('" + failureSupplier + "', 'pull', 'NEW', 'just now', '{}', now())");

        String done = cleaner.cleanNow();
        assertTrue(done.contains("expired goods taken offline: "), done);

        assertEquals("offline", p.item(items.get(0)).getStatus());
        assertEquals("offline", text("SELECT status FROM supplier_item WHERE supplier_code = 'CINEMA_ONE' AND external_id = '" + expired + "'"));
        assertEquals("online", p.item(items.get(1)).getStatus());
        assertEquals("synced", text("SELECT status FROM supplier_item WHERE supplier_code = 'CINEMA_ONE' AND external_id = '" + current + "'"));
        assertEquals("KEPT,NEW", text("SELECT string_agg(reason_code, ',' ORDER BY occurred_at) FROM supplier_sync_failure "
                + "WHERE supplier_code = '" + failureSupplier + "'"));
        // a second run finds nothing more of ours to do: the expired item is settled
        cleaner.cleanNow();
        assertEquals("online", p.item(items.get(1)).getStatus());
    }

    private static void register(String code, String mode, boolean enabled) {
        Map<String, Object> b = new HashMap<>(SupplierRegistryTest.body(code));
        b.put("categoryCode", "MOVIE");
        b.put("categoryIds", List.of(3100));
        b.put("adapter", "movie");
        b.put("syncMode", mode);
        if ("push".equals(mode)) {
            b.remove("endpointUrl");
            b.remove("pullIntervalSeconds");
        }
        b.put("enabled", enabled);
        SupplierRegistryTest.admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(201);
    }

    private static void disable(String code) {
        SupplierRegistryTest.admin().contentType("application/json").body(Map.of("version", 0, "enabled", false))
                .put("/suppliers/" + code).then().statusCode(200);
    }

    private void state(String code, String lastSuccess, int consecutiveFailures, long applied, long failed, Double lag) {
        exec("UPDATE supplier_sync_state SET last_success_at = " + lastSuccess + ", last_attempt_at = now(), consecutive_failures = "
                + consecutiveFailures + ", applied_count = " + applied + ", failed_count = " + failed + ", last_lag_seconds = "
                + (lag == null ? "NULL" : lag) + ", next_pull_at = now() + interval '1 day' WHERE supplier_code = '" + code + "'");
    }

    private void exec(String sql) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) {
        return Long.parseLong(text(sql));
    }

    private String text(String sql) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
